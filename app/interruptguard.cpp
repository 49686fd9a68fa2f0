// SPDX-License-Identifier: GPL-3.0-or-later
#include "interruptguard.h"

#include <QList>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>
#endif

namespace Hivelab::Cli {

namespace {
QList<InterruptGuard *> g_guards; // outermost first
#ifdef Q_OS_UNIX
int g_pipe[2] = {-1, -1};
QSocketNotifier *g_notifier = nullptr;
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
#endif
} // namespace

InterruptGuard::InterruptGuard(std::function<void()> onInterrupt, Again again)
    : m_onInterrupt(std::move(onInterrupt))
    , m_again(again)
{
    // Inside an interrupted guard the command is already stopping: a second signal ends it.
    m_interrupted = !g_guards.isEmpty() && g_guards.last()->m_interrupted;
    g_guards.append(this);
#ifdef Q_OS_UNIX
    if (g_guards.size() > 1 || ::pipe(g_pipe) != 0) // the outermost guard owns the handlers
        return;
    for (int fd : g_pipe) {
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    }
    g_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read);
    QObject::connect(g_notifier, &QSocketNotifier::activated, g_notifier,
                     &InterruptGuard::onSignal);
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
    Q_ASSERT(!g_guards.isEmpty() && g_guards.last() == this);
    g_guards.removeOne(this);
#ifdef Q_OS_UNIX
    if (!g_guards.isEmpty() || !g_notifier)
        return;
    ::sigaction(SIGINT, &g_oldInt, nullptr);
    ::sigaction(SIGTERM, &g_oldTerm, nullptr);
    delete g_notifier;
    g_notifier = nullptr;
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
    if (g_guards.isEmpty())
        return;
    InterruptGuard *guard = g_guards.last();
    if (guard->m_interrupted && guard->m_again == Again::EndsTheProcess) {
        // Second time: the user means it. Default action, right now.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::raise(signo == SIGTERM ? SIGTERM : SIGINT);
        return;
    }
    for (InterruptGuard *g : std::as_const(g_guards))
        g->m_interrupted = true;
    if (guard->m_onInterrupt)
        guard->m_onInterrupt();
#endif
}

} // namespace Hivelab::Cli
