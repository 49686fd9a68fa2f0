// SPDX-License-Identifier: GPL-3.0-or-later
// SshHttpCall against the real Docker engines of the shared lab, through
// `docker system dial-stdio`: as root, as a sudo user whose password comes over the same stdin
// as the request, and against a stopped engine.
#include "labboard.h"
#include "sshhttpcall.h"
#include "sshpool.h"
#include "sshsession.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Hivelab;

class TestSshHttpCall : public QObject
{
    Q_OBJECT
private:
    QHash<int, HivelabTest::LabBoard> m_boards; // powered on, by K
    QString m_password;
    QTemporaryDir m_dir;
    SshPool m_pool;

    // Runs one request on board K and waits (bounded) for the call to finish.
    struct Outcome
    {
        int exitStatus = -1;
        SshErrorInfo error;
        HttpResponse response;
        QByteArray stderrText;
        qint64 ms = 0;
    };
    // Board k over SSH with the lab's key (and its known_hosts file of this test).
    SshConnectOptions optionsFor(const HivelabTest::LabBoard &b) const
    {
        SshConnectOptions options;
        options.host = b.ip;
        options.port = quint16(b.port);
        options.knownHostsPath = m_dir.filePath(QStringLiteral("known_hosts"));
        options.acceptNewHostKey = true;
        return options;
    }
    static SshAuth keyAuth(const QString &user)
    {
        SshAuth auth;
        auth.user = user;
        auth.identityFiles << qEnvironmentVariable("HIVELAB_LAB_KEY");
        auth.useAgent = false;
        return auth;
    }

    Outcome call(int k, const QByteArray &path, bool asRoot, const QString &sudoPassword)
    {
        const HivelabTest::LabBoard b = m_boards.value(k);
        const SshConnectOptions options = optionsFor(b);
        SshAuth auth = keyAuth(asRoot ? QStringLiteral("root") : b.user);
        auth.password = m_password;
        SshExecOptions exec;
        exec.timeoutMs = 30000;
        QString command = SshHttpCall::dockerDialCommand();
        if (!asRoot) {
            command = SshSession::asRootCommand(command);
            exec.stdinData = sudoPassword.toUtf8() + '\n';
        }
        HttpRequest request;
        request.path = path;
        QElapsedTimer clock;
        clock.start();
        SshHttpCall c(&m_pool, options, auth, command, request, exec);
        QSignalSpy finished(&c, &SshHttpCall::finished);
        if (!finished.wait(40000))
            return {};
        Outcome o;
        o.exitStatus = finished.first().at(0).toInt();
        o.error = finished.first().at(1).value<SshErrorInfo>();
        o.response = c.response();
        o.stderrText = c.stderrText();
        o.ms = clock.elapsed();
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QList<HivelabTest::LabBoard> boards;
        HIVELAB_READ_LAB_BOARDS(boards);
        m_password = qEnvironmentVariable("HIVELAB_LAB_PASSWORD");
        for (const HivelabTest::LabBoard &b : std::as_const(boards)) {
            if (b.isOn())
                m_boards.insert(b.index, b);
        }
        if (m_boards.value(1).docker != QLatin1String("docker") ||
            m_boards.value(2).docker != QLatin1String("docker") ||
            m_boards.value(4).docker != QLatin1String("nodocker"))
            QSKIP("needs the shared lab's layout (tests/lab/README.md)");
    }

    void pingAsRoot()
    {
        const Outcome o = call(1, "/_ping", true, {});
        QVERIFY2(!o.error.isError(), qPrintable(o.error.message));
        QCOMPARE(o.response.status, 200);
        QCOMPARE(o.response.body, QByteArray("OK"));
        QCOMPARE(o.response.header("content-length"), QByteArray("2"));
        QCOMPARE(o.exitStatus, 0);
    }

    void infoThroughSudoWithPassword()
    {
        // The sudo password and the request share stdin; the call must end when the engine
        // answers, not when a command timeout strikes.
        const Outcome o = call(2, "/info", false, m_password);
        QVERIFY2(!o.error.isError(), qPrintable(o.error.message));
        QCOMPARE(o.response.status, 200);
        QCOMPARE(o.response.header("transfer-encoding"), QByteArray("chunked"));
        const QJsonObject info = QJsonDocument::fromJson(o.response.body).object();
        QVERIFY(!info.value(QLatin1String("ServerVersion")).toString().isEmpty());
        QCOMPARE(info.value(QLatin1String("Name")).toString(), QStringLiteral("pine64-2"));
        QCOMPARE(o.exitStatus, 0);
        QVERIFY2(o.ms < 10000, qPrintable(QString::number(o.ms)));
    }

    void stoppedEngineEndsPromptly()
    {
        // Board 4's engine is stopped: dial-stdio gives up at once, and the call must end then
        // (with sudo in between, nothing may keep waiting for the channel's stdin).
        const Outcome o = call(4, "/info", false, m_password);
        QVERIFY2(!o.error.isError(), qPrintable(o.error.message));
        QVERIFY(!o.response.isComplete());
        QVERIFY(o.exitStatus != 0);
        QVERIFY2(o.stderrText.contains("docker.sock"), o.stderrText);
        QVERIFY2(o.ms < 10000, qPrintable(QString::number(o.ms)));
    }

    void pipelinedRequestsOnOneCommand()
    {
        // Three requests, one dial-stdio: each answered in order, then the command ends.
        const SshConnectOptions options = optionsFor(m_boards.value(1));
        const SshAuth auth = keyAuth(QStringLiteral("root"));
        SshExecOptions exec;
        exec.timeoutMs = 30000;
        QList<HttpRequest> requests(3);
        requests[0].path = "/_ping";
        requests[1].path = "/no/such/endpoint";
        requests[2].path = "/info";
        SshHttpCall c(&m_pool, options, auth, SshHttpCall::dockerDialCommand(), requests, exec);
        QSignalSpy finished(&c, &SshHttpCall::finished);
        QVERIFY(finished.wait(40000));
        QCOMPARE(finished.first().at(0).toInt(), 0);
        const QList<HttpResponse> answers = c.responses();
        QCOMPARE(answers.size(), 3);
        QCOMPARE(answers.at(0).status, 200);
        QCOMPARE(answers.at(0).body, QByteArray("OK"));
        QCOMPARE(answers.at(1).status, 404);
        QCOMPARE(answers.at(2).status, 200);
        QCOMPARE(QJsonDocument::fromJson(answers.at(2).body).object().value(QLatin1String("Name")),
                 QJsonValue(QStringLiteral("pine64-1")));
        QCOMPARE(c.response().status, 200); // the first answer
    }

    void keptOpenAnswersRequestsSentLater()
    {
        // One dial-stdio (through sudo, password line first) kept open: requests sent after
        // earlier answers are answered on it, and close() ends the command.
        const HivelabTest::LabBoard b = m_boards.value(2);
        SshAuth auth = keyAuth(b.user);
        auth.password = m_password;
        SshExecOptions exec;
        exec.timeoutMs = 30000;
        exec.stdinData = m_password.toUtf8() + '\n';
        QList<HttpRequest> first(1);
        first[0].path = "/_ping";
        SshHttpCall c(&m_pool, optionsFor(b), auth,
                      SshSession::asRootCommand(SshHttpCall::dockerDialCommand()), first, exec,
                      nullptr, SshHttpCall::Connection::KeepOpen);
        QSignalSpy answered(&c, &SshHttpCall::answered);
        QSignalSpy finished(&c, &SshHttpCall::finished);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, 40000);
        QCOMPARE(answered.at(0).at(0).value<HttpResponse>().body, QByteArray("OK"));
        QVERIFY(finished.isEmpty()); // still open after its only request was answered
        QList<HttpRequest> more(2);
        more[0].path = "/info";
        more[1].path = "/no/such/endpoint";
        c.send(more);
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 3, 20000);
        const HttpResponse info = answered.at(1).at(0).value<HttpResponse>();
        QCOMPARE(info.status, 200);
        QCOMPARE(QJsonDocument::fromJson(info.body).object().value(QLatin1String("Name")),
                 QJsonValue(QStringLiteral("pine64-2")));
        QCOMPARE(answered.at(2).at(0).value<HttpResponse>().status, 404);
        QVERIFY(finished.isEmpty());
        c.send({first});
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 4, 20000);
        c.close();
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().at(0).toInt(), 0);
        QVERIFY(!finished.first().at(1).value<SshErrorInfo>().isError());
        QCOMPARE(answered.size(), 4);
    }

    void wrongSudoPasswordEndsPromptly()
    {
        const Outcome o = call(2, "/info", false, QStringLiteral("not-the-password"));
        QVERIFY(!o.response.isComplete());
        QVERIFY(o.exitStatus != 0);
        QVERIFY2(o.ms < 20000, qPrintable(QString::number(o.ms)));
    }
};

QTEST_GUILESS_MAIN(TestSshHttpCall)
#include "tst_sshhttpcall.moc"
