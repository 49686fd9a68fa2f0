// SPDX-License-Identifier: GPL-3.0-or-later
#include "interruptguard.h"

#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace Hivelab::Cli {

#ifdef Q_OS_UNIX
namespace {
int g_pipe[2] = {-1, -1};
struct sigaction g_oldInt;
struct sigaction g_oldTerm;

extern "C" void onInterruptSignal(int signo)
{
    // Async-signal-safe: one byte into the self-pipe; the notifier does the rest.
    const char byte = char(signo);
    const int saved = errno;
    if (::write(g_pipe[1], &byte, 1) < 0) {
        // Pipe full: an interrupt is already pending.
    }
    errno = saved;
}
} // namespace
#endif

InterruptGuard::InterruptGuard(std::function<void()> onInterrupt)
    : m_onInterrupt(std::move(onInterrupt))
{
#ifdef Q_OS_UNIX
    if (g_pipe[0] >= 0 || ::pipe(g_pipe) != 0) // one guard at a time
        return;
    for (int fd : g_pipe) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &InterruptGuard::onSignal);
    struct sigaction sa = {};
    sa.sa_handler = onInterruptSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, &g_oldInt);
    ::sigaction(SIGTERM, &sa, &g_oldTerm);
#endif
}

InterruptGuard::~InterruptGuard()
{
#ifdef Q_OS_UNIX
    if (!m_notifier)
        return;
    ::sigaction(SIGINT, &g_oldInt, nullptr);
    ::sigaction(SIGTERM, &g_oldTerm, nullptr);
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
#endif
}

void InterruptGuard::onSignal()
{
#ifdef Q_OS_UNIX
    char bytes[16];
    int signo = SIGINT;
    ssize_t n = 0;
    while ((n = ::read(g_pipe[0], bytes, sizeof bytes)) > 0)
        signo = bytes[n - 1];
    if (m_interrupted) {
        // Second time: the user means it. Default action, right now.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::raise(signo == SIGTERM ? SIGTERM : SIGINT);
        return;
    }
    m_interrupted = true;
    if (m_onInterrupt)
        m_onInterrupt();
#endif
}

} // namespace Hivelab::Cli
