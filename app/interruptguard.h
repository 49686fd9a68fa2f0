// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <functional>

namespace Hivelab::Cli {

/// Ctrl-C (SIGINT) and SIGTERM for a long-running subcommand: the first one calls `onInterrupt`
/// on the main thread (the command cancels its job and finishes normally: remote commands are
/// stopped, partial results printed); a second one ends the process the default way (unless
/// Again::Interrupts). The
/// previous handlers come back when the last guard is destroyed. Guards nest: a command
/// guarding all its steps may call a helper with a guard of its own (the image download);
/// the innermost guard's `onInterrupt` is called and every guard reads interrupted() from
/// then on. Main thread; destroyed in the reverse order of construction.
class InterruptGuard : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InterruptGuard)
public:
    /// What a signal after the first does. Interrupts: `onInterrupt` is called again and the
    /// process lives on, for a job whose cancel() ends in bounded time and that must not be
    /// ended anywhere else (a card half written, scratch files left, a keychain entry changed).
    enum class Again { EndsTheProcess, Interrupts };

    explicit InterruptGuard(std::function<void()> onInterrupt, Again again = Again::EndsTheProcess);
    ~InterruptGuard() override;

    bool interrupted() const { return m_interrupted; }

private:
    static void onSignal();

    std::function<void()> m_onInterrupt;
    Again m_again = Again::EndsTheProcess;
    bool m_interrupted = false;
};

/// Conventional exit code of a command stopped by Ctrl-C (128 + SIGINT).
constexpr int ExitInterrupted = 130;

} // namespace Hivelab::Cli
