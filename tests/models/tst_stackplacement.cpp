// SPDX-License-Identifier: GPL-3.0-or-later
#include "stackplacement.h"

#include <QTest>

using namespace Hivelab;
using namespace Hivelab::StackPlacement;

class TestStackPlacement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesIndexAnswer()
    {
        const ImagePlatforms p = ImagePlatforms::parseDistribution(
            R"({"Descriptor":{"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",)"
            R"("digest":"sha256:cd21","size":555},"Platforms":[{"architecture":"amd64","os":"linux"},)"
            R"({"architecture":"arm","os":"linux","variant":"v7"},{"architecture":"arm64","os":"linux"}]})");
        QVERIFY(p.isValid());
        QVERIFY(p.isIndex());
        QCOMPARE(p.digest, QString("sha256:cd21"));
        QCOMPARE(p.platforms, (QStringList{"linux/amd64", "linux/arm/v7", "linux/arm64"}));
    }

    void parsesSingleManifestAndErrors()
    {
        const ImagePlatforms one = ImagePlatforms::parseDistribution(
            R"({"Descriptor":{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
            R"("digest":"sha256:8e3f"},"Platforms":[{"architecture":"arm64","os":"linux"}]})");
        QVERIFY(one.isValid());
        QVERIFY(!one.isIndex());
        QCOMPARE(one.platforms, QStringList{"linux/arm64"});
        const ImagePlatforms missing = ImagePlatforms::parseDistribution(
            R"({"message":"manifest unknown: manifest unknown"})");
        QVERIFY(!missing.isValid());
        QCOMPARE(missing.error, QString("manifest unknown: manifest unknown"));
        QVERIFY(!ImagePlatforms::parseDistribution("<html>").isValid());
        QVERIFY(!ImagePlatforms::parseDistribution(R"({"Descriptor":{"digest":"x"}})").isValid());
    }

    void architectureWords()
    {
        QCOMPARE(nodeArchitecture("linux/amd64"), QString("x86_64"));
        QCOMPARE(nodeArchitecture("linux/arm64"), QString("aarch64"));
        QCOMPARE(nodeArchitecture("arm/v7"), QString("armv7l"));
        QCOMPARE(nodeArchitecture("linux/arm/v6"), QString("armv6l"));
        QCOMPARE(nodeArchitecture("windows/amd64"), QString());
        QCOMPARE(planArchitecture("aarch64"), QString("arm64"));
        QVERIFY(runsOn({"linux/arm/v6"}, "armv7l"));
        QVERIFY(!runsOn({"linux/arm/v7"}, "armv6l"));
        QVERIFY(runsOn({"linux/amd64"}, "amd64"));
    }

    void constraints_data()
    {
        QTest::addColumn<QStringList>("platforms");
        QTest::addColumn<QStringList>("swarm");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("single arch")
            << QStringList{"linux/arm64"} << QStringList{"x86_64", "aarch64"}
            << QStringList{"node.platform.arch == aarch64"};
        QTest::newRow("single arch, all boards fit")
            << QStringList{"linux/amd64"} << QStringList{"x86_64"}
            << QStringList{"node.platform.arch == x86_64"};
        QTest::newRow("multi arch, all fit") << QStringList{"linux/amd64", "linux/arm64"}
                                             << QStringList{"x86_64", "aarch64"} << QStringList{};
        QTest::newRow("multi arch, armhf boards lack it")
            << QStringList{"linux/amd64", "linux/arm64"}
            << QStringList{"armv7l", "x86_64", "aarch64", "armv7l"}
            << QStringList{"node.platform.arch != armv7l"};
        QTest::newRow("unknown") << QStringList{} << QStringList{"x86_64"} << QStringList{};
    }
    void constraints()
    {
        QFETCH(QStringList, platforms);
        QFETCH(QStringList, swarm);
        QFETCH(QStringList, expected);
        QCOMPARE(architectureConstraints(platforms, swarm), expected);
    }

    void fitCountsBoards()
    {
        const ArchitectureFit f = fit({"linux/arm64"}, {"aarch64", "x86_64", "aarch64", "armv7l",
                                                        "aarch64", "x86_64", "x86_64"});
        QCOMPARE(f.runnable, 3);
        QCOMPARE(f.total, 7);
        QCOMPARE(f.runnableArchs, QStringList{"arm64"});
        QCOMPARE(f.missingArchs, (QStringList{"amd64", "armhf"}));
        QVERIFY(!f.fitsAll());
        QVERIFY(constrainsArchitecture({"node.role==manager", "node.platform.arch==x86_64"}));
        QVERIFY(!constrainsArchitecture({"node.role == manager"}));
    }

    void parsesTasksAndFindsConcentration()
    {
        const QByteArray services = R"([{"ID":"s1","Spec":{"Name":"web_idle"}}])";
        const QByteArray tasks =
            R"([{"ID":"t1","ServiceID":"s1","Slot":1,"NodeID":"n1","DesiredState":"running",)"
            R"("Status":{"State":"running","Message":"started"},"Spec":{"ContainerSpec":)"
            R"({"Image":"reg:5000/idle:multi@sha256:cd","Labels":{"com.docker.stack.namespace":"web"}}}},)"
            R"({"ID":"t2","ServiceID":"s1","Slot":2,"NodeID":"n2","DesiredState":"running",)"
            R"("Status":{"State":"running","Message":"started"}},)"
            R"({"ID":"t3","ServiceID":"s9","Slot":1,"NodeID":"n2","DesiredState":"shutdown",)"
            R"("Status":{"State":"failed","Err":"no such image"}}])";
        QList<ServiceTask> list = parseTasks(tasks, services);
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0).service, QString("s9")); // unnamed: its ID
        QCOMPARE(list.at(0).message, QString("no such image"));
        QCOMPARE(list.at(1).service, QString("web_idle"));
        QCOMPARE(list.at(1).stack, QString("web"));
        QCOMPARE(list.at(1).image, QString("reg:5000/idle:multi"));
        QVERIFY(list.at(1).isRunning());

        Lab lab;
        Board a, b, c;
        a.id = "a";
        a.rackId = "rack-1";
        a.psuId = "psu-1";
        b.id = "b";
        b.rackId = "rack-1";
        b.psuId = "psu-2";
        c.id = "c";
        c.rackId = "rack-2";
        c.psuId = "psu-2";
        lab.boards = {a, b, c};
        list[1].boardId = "a";
        list[2].boardId = "b";
        QList<ReplicaConcentration> found = concentratedServices(lab, list);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().service, QString("web_idle"));
        QCOMPARE(found.first().kind, ObjectKind::Rack);
        QCOMPARE(found.first().domainId, QString("rack-1"));
        list[2].boardId = "c"; // a and c: other racks, other supplies
        QVERIFY(concentratedServices(lab, list).isEmpty());
        list[1].boardId = "b"; // b and c: two racks, one supply
        found = concentratedServices(lab, list);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first().kind, ObjectKind::PowerSupply);
        QCOMPARE(found.first().domainId, QString("psu-2"));
    }
};

QTEST_GUILESS_MAIN(TestStackPlacement)
#include "tst_stackplacement.moc"
