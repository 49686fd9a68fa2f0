// SPDX-License-Identifier: GPL-3.0-or-later
// Test helper for tst_libssh2rsa: one public-key login to 127.0.0.1 with raw libssh2 calls.
// Built twice, against the libssh2 the project uses and against the system one, so one test run
// shows what each can do against the same sshd.
//   libssh2rsaprobe PORT USER PRIVATE_KEY
// Prints key=value facts; exit 0 logged in, 1 key rejected, 2 handshake failed, 3 other error.
#include <libssh2.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

int fail(int code, const char *what, LIBSSH2_SESSION *session)
{
    char *message = nullptr;
    const int error = session ? libssh2_session_last_error(session, &message, nullptr, 0) : 0;
    std::printf("%s=fail\nerror=%d %s\n", what, error, message ? message : "");
    return code;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s PORT USER PRIVATE_KEY\n", argv[0]);
        return 64;
    }
    const int port = std::atoi(argv[1]);
    std::printf("version=%s\n", libssh2_version(0));
    if (libssh2_init(0) != 0)
        return fail(3, "init", nullptr);

    // Loopback only: this helper must never reach beyond the machine it runs on.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
        return fail(3, "connect", nullptr);

    LIBSSH2_SESSION *session = libssh2_session_init();
    libssh2_session_set_blocking(session, 1);
    libssh2_session_set_timeout(session, 10000);
    if (libssh2_session_handshake(session, fd) != 0)
        return fail(2, "handshake", session);
    const char *hostKey = libssh2_session_methods(session, LIBSSH2_METHOD_HOSTKEY);
    std::printf("handshake=ok\nhostkey=%s\n", hostKey ? hostKey : "");

    const char *user = argv[2];
    const int rc = libssh2_userauth_publickey_fromfile_ex(
        session, user, static_cast<unsigned int>(std::strlen(user)), nullptr, argv[3], "");
    if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED)
        return fail(1, "auth", session);
    if (rc != 0)
        return fail(3, "auth", session);
    std::printf("auth=ok\n");
    libssh2_session_disconnect(session, "done");
    libssh2_session_free(session);
    ::close(fd);
    libssh2_exit();
    return 0;
}
