// SPDX-License-Identifier: GPL-3.0-or-later
#include "composefile.h"

#include <QTest>

using namespace Hivelab;

class TestComposeFile : public QObject
{
    Q_OBJECT

private:
    static ComposeFile parsed(const QByteArray &yaml)
    {
        ComposeFile f;
        QString error;
        if (!f.parse(yaml, &error))
            qWarning() << error;
        return f;
    }
    static ComposeFile reparsed(const ComposeFile &f) { return parsed(f.toYaml()); }
    static ComposeFile::Service service(const ComposeFile &f, const QString &name)
    {
        for (const ComposeFile::Service &s : f.services()) {
            if (s.name == name)
                return s;
        }
        return {};
    }

private Q_SLOTS:
    void addsSpreadAndConstraints()
    {
        ComposeFile f = parsed("services:\n  web:\n    image: nginx:1.25\n    deploy:\n"
                               "      replicas: 3\n");
        QVERIFY(f.addSpreadPreference("web", "node.labels.hivelab.rack"));
        f.addConstraints("web", {"node.platform.arch == aarch64"});
        const ComposeFile again = reparsed(f);
        const ComposeFile::Service web = service(again, "web");
        QCOMPARE(web.image, QString("nginx:1.25"));
        QCOMPARE(web.replicas, 3);
        QVERIFY(web.hasPreferences);
        QCOMPARE(web.constraints, QStringList{"node.platform.arch == aarch64"});
        QVERIFY(f.toYaml().contains("spread: node.labels.hivelab.rack"));
    }

    void usersOwnPlacementStays()
    {
        ComposeFile f = parsed("services:\n"
                               "  db:\n    image: postgres\n    deploy:\n      placement:\n"
                               "        preferences:\n          - spread: node.labels.zone\n"
                               "        constraints: [node.role == manager]\n"
                               "  agent:\n    image: agent\n    deploy:\n      mode: global\n");
        QVERIFY(!f.addSpreadPreference("db", "node.labels.hivelab.rack"));
        QVERIFY(!f.addSpreadPreference("agent", "node.labels.hivelab.rack"));
        f.addConstraints("db", {"node.platform.arch != armv7l"});
        const QByteArray yaml = f.toYaml();
        QVERIFY(yaml.contains("spread: node.labels.zone"));
        QVERIFY(!yaml.contains("hivelab.rack"));
        const ComposeFile again = reparsed(f);
        QCOMPARE(service(again, "db").constraints,
                 (QStringList{"node.role == manager", "node.platform.arch != armv7l"}));
        QVERIFY(service(again, "agent").global);
        QVERIFY(!service(again, "agent").hasPreferences);
    }

    void quotedScalarsStayStrings()
    {
        ComposeFile f = parsed("version: \"3.8\"\nservices:\n  web:\n    image: nginx\n"
                               "    ports: [\"80:80\"]\n    environment:\n      DEBUG: \"true\"\n"
                               "      COUNT: 3\n    command: |\n      sh -c 'a\n      b'\n");
        f.addSpreadPreference("web", "node.labels.hivelab.rack");
        const QByteArray yaml = f.toYaml();
        QVERIFY2(yaml.contains("version: \"3.8\""), yaml.constData());
        QVERIFY2(yaml.contains("- \"80:80\""), yaml.constData());
        QVERIFY2(yaml.contains("DEBUG: \"true\""), yaml.constData());
        QVERIFY2(yaml.contains("COUNT: 3"), yaml.constData());
        QVERIFY2(yaml.contains("sh -c 'a\n"), yaml.constData());
    }

    void controlCharactersReadBack()
    {
        // Found by fuzz_composefile: a quoted multi-line value holding a control character was
        // written as a literal block with the raw byte, which does not read back.
        ComposeFile f = parsed(QByteArray("services:\n  web:\n    image: nginx\n"
                                          "    environment:\n      A: \"x\\x01y\\nz\"\n"
                                          "      B: \"t\\x7f\"\n"));
        f.addSpreadPreference("web", "node.labels.hivelab.rack");
        const QByteArray yaml = f.toYaml();
        QVERIFY2(!yaml.contains('\x01'), yaml.constData());
        const ComposeFile again = reparsed(f);
        QVERIFY(service(again, "web").hasPreferences);
        QCOMPARE(again.toYaml(), yaml);
        QVERIFY2(yaml.contains("A: \"x\\x01y\\nz\""), yaml.constData());
    }

    void tagsReadBack()
    {
        // Found by fuzz_composefile: `!!str` comes from the parser as tag:yaml.org,2002:str and
        // was written as a local tag cut at its comma, which ended the output there.
        ComposeFile f = parsed("services:\n  web:\n    image: !!str nginx\n"
                               "    ports: !reset []\n");
        f.addSpreadPreference("web", "node.labels.hivelab.rack");
        const QByteArray yaml = f.toYaml();
        QVERIFY2(yaml.contains("image: !!str nginx"), yaml.constData());
        QVERIFY2(yaml.contains("ports: !reset"), yaml.constData());
        QVERIFY(reparsed(f).services().size() == 1);
    }

    void sharedAnchorsAreNotChangedTogether()
    {
        ComposeFile f = parsed("x-deploy: &d\n  replicas: 2\n"
                               "services:\n  a:\n    image: a\n    deploy: *d\n"
                               "  b:\n    image: b\n    deploy:\n      <<: *d\n"
                               "      placement:\n        constraints: [node.role == worker]\n");
        QCOMPARE(service(f, "b").replicas, 2);
        f.addConstraints("a", {"node.platform.arch == x86_64"});
        const ComposeFile again = reparsed(f);
        QCOMPARE(service(again, "a").constraints, QStringList{"node.platform.arch == x86_64"});
        QCOMPARE(service(again, "b").constraints, QStringList{"node.role == worker"});
        QCOMPARE(service(again, "b").replicas, 2);
    }

    void localFilesAreNamed()
    {
        const ComposeFile f = parsed("services:\n  web:\n    image: nginx\n    env_file: web.env\n"
                                     "configs:\n  site:\n    file: ./site.conf\n"
                                     "secrets:\n  db:\n    external: true\n");
        QCOMPARE(f.localFileReferences(),
                 (QStringList{"service web: env_file", "config site: file"}));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("syntax") << QByteArray("services:\n  web: [\n") << "line ";
        QTest::newRow("no services") << QByteArray("volumes: {}\n") << "no services";
        QTest::newRow("a list") << QByteArray("- a\n- b\n") << "top level";
        QByteArray bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (char c = 'b'; c <= 'j'; ++c)
            bomb += QByteArray(1, c) + ": &" + c + " [" + QByteArray("*") + char(c - 1) + ", *" +
                    char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) +
                    ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" +
                    char(c - 1) + ", *" + char(c - 1) + "]\n";
        QTest::newRow("alias bomb") << bomb << "nested aliases";
        // Found by the fuzzer: an anchor merged into itself recursed until the stack ran out.
        QTest::newRow("alias inside itself")
            << QByteArray("x-d: &d\n  deploy:\n    <<: *d\nservices:\n  w:\n    image: a\n")
            << "alias contains itself";
        QByteArray deep = "services:\n  w:\n    image: a\n    labels: ";
        deep += QByteArray(200, '[') + QByteArray(200, ']') + "\n";
        QTest::newRow("deep nesting") << deep << "nests deeper than";
        QTest::newRow("constraints not a list")
            << QByteArray(
                   "services:\n  w:\n    deploy:\n      placement:\n        constraints: x\n")
            << "not a list";
    }
    void badInput()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        ComposeFile f;
        QString why;
        QVERIFY(!f.parse(yaml, &why));
        QVERIFY2(why.contains(error), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestComposeFile)
#include "tst_composefile.moc"
