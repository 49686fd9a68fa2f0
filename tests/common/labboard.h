// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// For lab tests: the boards the lab runner describes in HIVELAB_LAB_BOARDS, and (with
// HIVELAB_LAB_TOOL defined) a shell command run as root on lab board K through the lab tool, so
// what the app did is checked independently of the app's own SSH.

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTest>

namespace HivelabTest {

/// One entry `K=IP:PORT:SERVER:HOSTNAME:USER:DOCKER:AUTH:POWER` (tests/lab/README.md).
struct LabBoard
{
    int index = 0; // K, as in `hivelab-lab board K`
    QString ip;
    int port = 22;
    QString server;   // dropbear | openssh
    QString hostname; // pine64-K
    QString user;     // the board's sudo user
    QString docker;   // docker | nodocker (engine not running) | bare (not installed)
    QString auth;     // key | password
    QString power;    // on | off | nossh
    bool isOn() const { return power == QLatin1String("on"); }
};

/// HIVELAB_LAB_BOARDS in its order; an empty list outside the lab. False with *error naming the
/// entry when one does not have the eight fields.
inline bool readLabBoards(QList<LabBoard> *boards, QString *error)
{
    boards->clear();
    const QStringList entries =
        qEnvironmentVariable("HIVELAB_LAB_BOARDS").split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &entry : entries) {
        const QStringList f = entry.section(QLatin1Char('='), 1).split(QLatin1Char(':'));
        if (f.size() != 8) {
            *error = QStringLiteral("malformed HIVELAB_LAB_BOARDS entry: ") + entry;
            return false;
        }
        boards->append({entry.section(QLatin1Char('='), 0, 0).toInt(), f.at(0), f.at(1).toInt(),
                        f.at(2), f.at(3), f.at(4), f.at(5), f.at(6), f.at(7)});
    }
    return true;
}

#ifdef HIVELAB_LAB_TOOL
struct BoardOutput
{
    int code = -1;  // -1: timed out or crashed
    QByteArray out; // stdout, as printed
};

inline BoardOutput onLabBoard(int k, const QString &command, int timeoutMs = 30000)
{
    QProcess p;
    p.start(QStringLiteral(HIVELAB_LAB_TOOL),
            {QStringLiteral("board"), QString::number(k), QStringLiteral("--"),
             QStringLiteral("sh"), QStringLiteral("-c"), command});
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput()};
}
#endif

} // namespace HivelabTest

/// In a test function (initTestCase()): `boards`, a QList<HivelabTest::LabBoard>, gets the lab's
/// boards; a malformed entry fails the test, and outside the lab the test is skipped.
#define HIVELAB_READ_LAB_BOARDS(boards)                                                            \
    do {                                                                                           \
        QString labBoardsError_;                                                                   \
        QVERIFY2(HivelabTest::readLabBoards(&(boards), &labBoardsError_),                          \
                 qPrintable(labBoardsError_));                                                     \
        if ((boards).isEmpty())                                                                    \
            QSKIP("HIVELAB_LAB_BOARDS is not set: run through ctest (needs root and the lab)");    \
    } while (false)
