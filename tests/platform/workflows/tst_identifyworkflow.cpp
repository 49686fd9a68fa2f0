// SPDX-License-Identifier: GPL-3.0-or-later
// The transport is injected: here a function replaying outputs captured on lab boards (the real
// SSH path is covered by tst_cmd_discover and the lab test).
#include "identifyworkflow.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Hivelab;

namespace {

QByteArray data(const char *name)
{
    QFile f(QStringLiteral(HIVELAB_TEST_DATA "/discovery/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

DiscoveredHost host(const QString &ip, int sshPort)
{
    DiscoveredHost h;
    h.ip = ip;
    h.sshPort = sshPort;
    if (sshPort)
        h.openPorts = {sshPort};
    return h;
}

} // namespace

class TestIdentifyWorkflow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<DiscoveredHost>(); }
    void parsesEachHostAndBoundsParallelism();
    void loginErrorsAndHostsWithoutSsh();
    void cancelDropsLateAnswers();
};

void TestIdentifyWorkflow::parsesEachHostAndBoundsParallelism()
{
    int running = 0;
    int peak = 0;
    QStringList commands;
    IdentifyWorkflow wf(
        [&](const DiscoveredHost &h, const QString &command, IdentifyWorkflow::Done done) {
            commands << command;
            peak = qMax(peak, ++running);
            const QByteArray out =
                data(h.ip.endsWith(QLatin1String(".11")) ? "compound-lab-board1-dropbear.txt"
                                                         : "compound-lab-board4-nodocker.txt");
            QTimer::singleShot(10, &wf, [&running, done, out] {
                --running;
                done(out, QString());
            });
        });
    wf.setMaxParallel(2);
    QSignalSpy identified(&wf, &IdentifyWorkflow::hostIdentified);
    QSignalSpy idle(&wf, &IdentifyWorkflow::idle);
    for (int i = 0; i < 5; ++i)
        wf.add(host(QStringLiteral("10.77.0.1%1").arg(i + 1), 22));
    QVERIFY(idle.wait(5000));
    QCOMPARE(identified.size(), 5);
    QCOMPARE(peak, 2);
    QCOMPARE(commands.size(), 5);
    QCOMPARE(commands.first(), HostFacts::compoundCommand());
    for (const auto &args : identified) {
        const auto h = args.first().value<DiscoveredHost>();
        QVERIFY(h.facts.has_value());
        QVERIFY(h.loginError.isEmpty());
        if (h.ip == QLatin1String("10.77.0.11")) {
            QCOMPARE(h.facts->hostname, QStringLiteral("pine64-1"));
            QCOMPARE(h.hostname(), QStringLiteral("pine64-1"));
            QVERIFY(!h.facts->dockerVersion.isEmpty());
        }
    }
    QVERIFY(wf.isIdle());
}

void TestIdentifyWorkflow::loginErrorsAndHostsWithoutSsh()
{
    int calls = 0;
    IdentifyWorkflow wf([&](const DiscoveredHost &, const QString &, IdentifyWorkflow::Done done) {
        ++calls;
        done(QByteArray(), QStringLiteral("Authentication failed (server offers: password)"));
    });
    QSignalSpy identified(&wf, &IdentifyWorkflow::hostIdentified);
    QSignalSpy idle(&wf, &IdentifyWorkflow::idle);
    wf.add(host(QStringLiteral("10.0.0.1"), 0));
    wf.add(host(QStringLiteral("10.0.0.2"), 2222));
    QTRY_COMPARE(identified.size(), 2);
    QCOMPARE(calls, 1); // no login attempt without an SSH server
    for (const auto &args : identified) {
        const auto h = args.first().value<DiscoveredHost>();
        QVERIFY(!h.facts);
        QVERIFY(!h.loginError.isEmpty());
    }
    QVERIFY(!idle.isEmpty());
}

void TestIdentifyWorkflow::cancelDropsLateAnswers()
{
    QList<IdentifyWorkflow::Done> pending;
    IdentifyWorkflow wf([&](const DiscoveredHost &, const QString &, IdentifyWorkflow::Done done) {
        pending << done;
    });
    QSignalSpy identified(&wf, &IdentifyWorkflow::hostIdentified);
    wf.add(host(QStringLiteral("10.0.0.1"), 22));
    wf.add(host(QStringLiteral("10.0.0.2"), 22));
    QCOMPARE(pending.size(), 2);
    wf.cancel();
    QVERIFY(wf.isIdle());
    for (const auto &done : pending)
        done(data("compound-lab-board1-dropbear.txt"), QString());
    QCOMPARE(identified.size(), 0);
}

QTEST_GUILESS_MAIN(TestIdentifyWorkflow)
#include "tst_identifyworkflow.moc"
