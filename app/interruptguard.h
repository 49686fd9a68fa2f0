// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

namespace Hivelab::Cli {

/// Ctrl-C (SIGINT) and SIGTERM for a long-running subcommand: the first one calls `onInterrupt`
/// on the main thread (the command cancels its job and finishes normally: remote commands are
/// stopped, partial results printed); a second one ends the process the default way. The
/// previous handlers come back when the guard is destroyed. One guard at a time; main thread.
class InterruptGuard : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InterruptGuard)
public:
    explicit InterruptGuard(std::function<void()> onInterrupt);
    ~InterruptGuard() override;

    bool interrupted() const { return m_interrupted; }

private:
    void onSignal();

    std::function<void()> m_onInterrupt;
    QSocketNotifier *m_notifier = nullptr;
    bool m_interrupted = false;
};

/// Conventional exit code of a command stopped by Ctrl-C (128 + SIGINT).
constexpr int ExitInterrupted = 130;

} // namespace Hivelab::Cli
