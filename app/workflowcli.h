// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "boardconnection.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QJsonValue>
#include <QStringList>

#include <functional>
#include <memory>

namespace Hivelab {
class LabDocument;
class WorkflowJob;
} // namespace Hivelab

namespace Hivelab::Cli {

/// What the provisioning subcommands (provision, swarm, join) share: the lab file, board
/// selection, logins, progress on stderr, summary on stdout. Main thread only.
class WorkflowCli
{
public:
    WorkflowCli();

    /// Adds --boards, --accept-new-host-keys, --password-stdin, --json, -i, --known-hosts,
    /// --connect-timeout, --parallel to the parser.
    void addOptions(QCommandLineParser *parser, bool withBoards = true);
    /// Adds the trailing "[BOARD…]" positional argument (boards by ID, name or hostname) of
    /// commands like `keys FILE [BOARD…]`; pass the words to prepare() as extraBoards.
    static void addBoardArguments(QCommandLineParser *parser);
    /// Loads FILE into the document and reads the options. Returns an exit code on failure
    /// (message printed), -1 on success. `boards` may name boards by ID, name or hostname.
    int prepare(const QCommandLineParser &parser, const QString &file,
                const QStringList &extraBoards = {});

    LabDocument *document() const { return m_document.get(); }
    QStringList boardIds() const { return m_boardIds; }
    bool json() const { return m_json; }

    /// What a job's outcome adds beyond its boards: a summary line, a member of the JSON
    /// summary, and the exit code it calls for when no board failed (0: none).
    struct Verdict
    {
        QString line;
        QString jsonKey;
        QJsonValue json;
        int exitCode = 0;
    };

    /// Applies logins and board selection to the job, runs it to the end (event loop),
    /// prints progress on stderr and the summary on stdout. Returns the exit code.
    int run(WorkflowJob *job, const QString &title,
            const std::function<Verdict()> &verdict = {});

private:
    std::unique_ptr<LabDocument> m_document;
    ConnectionSettings m_settings;
    QString m_password;
    bool m_havePassword = false;
    QStringList m_boardIds;
    bool m_json = false;
    bool m_withBoards = true;
    int m_parallel = 8;

    QCommandLineOption m_boards;
    QCommandLineOption m_acceptNew;
    QCommandLineOption m_passwordStdin;
    QCommandLineOption m_jsonOption;
    QCommandLineOption m_identity;
    QCommandLineOption m_knownHosts;
    QCommandLineOption m_timeout;
    QCommandLineOption m_parallelOption;
};

} // namespace Hivelab::Cli
