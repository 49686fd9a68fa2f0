// SPDX-License-Identifier: GPL-3.0-or-later
// Live status against a real sshd on loopback: every tick reuses the one SSH connection of the
// application's pool instead of logging in again. A counting TCP relay in front of sshd tells
// how many connections were opened.
#include "labdocument.h"
#include "labworkflow.h"
#include "livestatuscontroller.h"
#include "loopback.h"
#include "sshpool.h"
#include "sshsession.h"
#include "sshtesthelpers.h"
#include "sshtestserver.h"
#include "swarmjobcontroller.h"
#include "swarmstatus.h"

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Hivelab;

namespace {

/// Forwards loopback connections to `port` and counts them. Test-only.
class CountingRelay : public QTcpServer
{
public:
    explicit CountingRelay(quint16 target)
        : m_target(target)
    {
        connect(this, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket *in = nextPendingConnection()) {
                ++accepted;
                auto *out = new QTcpSocket(in);
                connect(in, &QTcpSocket::readyRead, out,
                        [in, out]() { out->write(in->readAll()); });
                connect(out, &QTcpSocket::readyRead, in,
                        [in, out]() { in->write(out->readAll()); });
                connect(out, &QTcpSocket::disconnected, in, &QTcpSocket::disconnectFromHost);
                connect(in, &QTcpSocket::disconnected, in, &QObject::deleteLater);
                out->connectToHost(QHostAddress::LocalHost, m_target);
            }
        });
    }
    int accepted = 0;

private:
    quint16 m_target;
};

} // namespace

class TestLiveStatusController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        HIVELAB_SKIP_WITHOUT_SSH_SERVERS();
        QVERIFY(m_dir.isValid());
        QVERIFY(SshTestServer::generateKey(key()));
        QFile pub(key() + QStringLiteral(".pub"));
        QVERIFY(pub.open(QIODevice::ReadOnly));
        m_server = std::make_unique<SshTestServer>(SshTestServer::Kind::OpenSsh);
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        QVERIFY(m_server->setAuthorizedKeys(QStringLiteral("root"), pub.readAll()));
    }

    void ticksReuseOneConnection()
    {
        CountingRelay relay(m_server->port());
        QVERIFY(relay.listen(QHostAddress::LocalHost, 0));
        const SshErrorInfo trust = trustHostKey(relay.serverPort());
        QVERIFY2(!trust.isError(), qPrintable(trust.message));
        relay.accepted = 0;

        LabDocument doc;
        Lab lab;
        lab.name = QStringLiteral("loopback");
        lab.boards << HivelabTest::loopbackBoard(QStringLiteral("m1"), relay.serverPort(),
                                                 Role::Manager, QStringLiteral("root"));
        doc.setLab(lab);

        SwarmJobController jobs(&doc);
        jobs.setKeychainEnabled(false);
        jobs.setConnectionSettings(settings());
        LiveStatusController live(&doc, &jobs);
        live.setIntervalMs(100);
        QSignalSpy refreshed(&live, &LiveStatusController::refreshed);
        QSignalSpy enabled(&live, &LiveStatusController::enabledChanged);
        live.setEnabled(true);
        QTRY_VERIFY_WITH_TIMEOUT(refreshed.size() >= 4, 30000);
        QCOMPARE(relay.accepted, 1);
        QCOMPARE(jobs.pool()->connectionCount(), 1);

        // Opening another lab turns live status off; nothing is asked any more.
        doc.setLab(Lab());
        QVERIFY(!live.isEnabled());
        QCOMPARE(enabled.size(), 2);
        QCOMPARE(enabled.last().first().toBool(), false);
    }

    void refreshNowReadsTasksToo()
    {
        // Lab ▸ Refresh Swarm Status (F5) runs the job a live tick runs, service tasks included.
        LabDocument doc;
        Lab lab;
        lab.boards << HivelabTest::loopbackBoard(QStringLiteral("m1"), m_server->port(),
                                                 Role::Manager, QStringLiteral("root"));
        doc.setLab(lab);
        SwarmJobController jobs(&doc);
        jobs.setKeychainEnabled(false);
        jobs.setConnectionSettings(settings());
        bool withTasks = false;
        connect(&jobs, &SwarmJobController::started, this,
                [&withTasks](SwarmJobController::Operation, WorkflowJob *job) {
                    auto *status = qobject_cast<SwarmStatus *>(job);
                    withTasks = status && status->withTasks();
                });
        QSignalSpy finished(&jobs, &SwarmJobController::finished);
        jobs.start(SwarmJobController::Operation::Status);
        QVERIFY(withTasks);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
    }

private:
    QString key() const { return m_dir.filePath(QStringLiteral("id_ed25519")); }
    ConnectionSettings settings() const
    {
        return HivelabTest::loopbackSettings(m_dir.path(), 5000, key());
    }
    // Jobs never trust a new host key: accept it once, the way the wizard's Connect step does.
    SshErrorInfo trustHostKey(quint16 port)
    {
        SshSession session;
        SshConnectOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = port;
        o.knownHostsPath = settings().knownHostsPath;
        o.acceptNewHostKey = true;
        SshAuth auth;
        auth.user = QStringLiteral("root");
        auth.useAgent = false;
        auth.identityFiles = {key()};
        session.connectToHost(o, auth);
        return waitConnected(&session);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<SshTestServer> m_server;
};

QTEST_GUILESS_MAIN(TestLiveStatusController)
#include "tst_livestatuscontroller.moc"
