// SPDX-License-Identifier: GPL-3.0-or-later
// known_hosts files (plain, [host]:port, patterns, negation, hashed names, markers) looked up
// with a real key, and SSH key blobs as a server presents them.
#include "fuzzsupport.h"
#include "knownhosts.h"

#include <QFile>
#include <QTemporaryDir>

#include <utility>

using namespace Hivelab;

namespace {

// The ed25519 host key the corpus entries name (base64
// AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g).
QByteArray hostKey()
{
    QByteArray blob =
        QByteArray::fromHex("0000000b") + "ssh-ed25519" + QByteArray::fromHex("00000020");
    for (char c = 1; c <= 32; ++c)
        blob.append(c);
    return blob;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static QTemporaryDir dir;
    HIVELAB_FUZZ_CHECK(dir.isValid());
    const QByteArray input = Fuzz::bytes(data, size);
    const QString path = dir.filePath(QStringLiteral("known_hosts"));
    {
        QFile file(path);
        HIVELAB_FUZZ_CHECK(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        HIVELAB_FUZZ_CHECK(file.write(input) == input.size());
    }
    const KnownHosts knownHosts(path);
    static const QByteArray key = hostKey();
    for (const auto &[host, port] : {std::pair{"pine64-1", 22}, std::pair{"10.77.0.15", 2222}}) {
        const KnownHosts::Check check =
            knownHosts.check(QString::fromLatin1(host), quint16(port), key);
        // The line reported is one of the file's (shown to the user as "known_hosts:LINE").
        if (check.status != KnownHosts::Status::Unknown)
            HIVELAB_FUZZ_CHECK(check.line >= 1 && check.line <= input.count('\n') + 1);
    }
    // The same bytes as a key blob a server presents.
    (void)KnownHosts::keyType(input);
    HIVELAB_FUZZ_CHECK(KnownHosts::fingerprintSha256(input).startsWith(QLatin1String("SHA256:")));
    return 0;
}
