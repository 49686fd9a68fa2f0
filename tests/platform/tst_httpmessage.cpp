// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpmessage.h"

#include <QTest>

using namespace Hivelab;

class TestHttpMessage : public QObject
{
    Q_OBJECT
private:
    // Feeds `wire` in pieces of `step` bytes, as an SSH channel delivers it.
    static HttpResponseParser parseInPieces(const QByteArray &wire, int step, bool eof = false)
    {
        HttpResponseParser p;
        for (qsizetype i = 0; i < wire.size(); i += step)
            p.feed(wire.mid(i, step));
        if (eof)
            p.finish();
        return p;
    }

private Q_SLOTS:
    void requestOnTheWire()
    {
        HttpRequest r;
        r.method = "POST";
        r.path = "/swarm/join";
        r.body = R"({"JoinToken":"SWMTKN-1-secret"})";
        r.bodyForLog = QStringLiteral("<worker token>");
        const QByteArray wire = r.toBytes();
        QVERIFY(wire.startsWith("POST /swarm/join HTTP/1.1\r\n"));
        QVERIFY(wire.contains("\r\nContent-Length: 31\r\n"));
        QVERIFY(wire.contains("\r\nConnection: close\r\n"));
        QVERIFY(wire.endsWith("\r\n\r\n" + r.body));
        QCOMPARE(r.describe(), QStringLiteral("POST /swarm/join <worker token>"));
        QVERIFY(!r.describe().contains(QLatin1String("SWMTKN")));

        HttpRequest get;
        get.path = "/info";
        QVERIFY(!get.toBytes().contains("Content-Length"));
        QVERIFY(!get.toBytes(true).contains("Connection:")); // HTTP/1.1 keeps it open
    }

    void pipelinedResponses()
    {
        // Two answers in one stream: the first completes, the rest is the second's.
        const QByteArray wire = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOKHTTP/1.1 500 Server "
                                "Error\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbad\r\n0\r\n\r\n";
        HttpResponseParser first;
        QCOMPARE(first.feed(wire), HttpResponseParser::State::Complete);
        QCOMPARE(first.response().body, QByteArray("OK"));
        HttpResponseParser second;
        QCOMPARE(second.feed(first.takeRemainder()), HttpResponseParser::State::Complete);
        QCOMPARE(second.response().status, 500);
        QCOMPARE(second.response().body, QByteArray("bad"));
        QVERIFY(first.takeRemainder().isEmpty());
    }

    void responses_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<bool>("eof");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        // What dockerd 20.10 answered through `docker system dial-stdio` (headers shortened).
        QTest::newRow("content-length")
            << QByteArray("HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nOK")
            << false << 200 << QByteArray("OK");
        QTest::newRow("chunked")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "5\r\n[{\"a\"\r\nC;ext=1\r\n:1},{\"b\":2}]\r\n0\r\n\r\n")
            << false << 200 << QByteArray("[{\"a\":1},{\"b\":2}]");
        QTest::newRow("chunked with trailer")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "2\r\nok\r\n0\r\nX-Trailer: 1\r\n\r\n")
            << false << 200 << QByteArray("ok");
        QTest::newRow("error json")
            << QByteArray("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 22\r\n\r\n"
                          "{\"message\":\"no swarm\"}")
            << false << 500 << QByteArray("{\"message\":\"no swarm\"}");
        QTest::newRow("no body")
            << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false << 204 << QByteArray();
        QTest::newRow("continue first")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
                          "\r\nx")
            << false << 200 << QByteArray("x");
        QTest::newRow("until eof")
            << QByteArray("HTTP/1.0 200 OK\r\n\r\nall of it") << true << 200
            << QByteArray("all of it");
    }

    void responses()
    {
        QFETCH(QByteArray, wire);
        QFETCH(bool, eof);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        for (int step : {1, 3, 7, int(wire.size())}) {
            const HttpResponseParser p = parseInPieces(wire, step, eof);
            QCOMPARE(p.state(), HttpResponseParser::State::Complete);
            QCOMPARE(p.response().status, status);
            QCOMPARE(p.response().body, body);
            QVERIFY(p.errorString().isEmpty());
        }
    }

    void incompleteAndMalformed_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<HttpResponseParser::State>("state");
        QTest::newRow("nothing") << QByteArray() << HttpResponseParser::State::Incomplete;
        QTest::newRow("cut body")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
            << HttpResponseParser::State::Incomplete;
        QTest::newRow("cut chunk")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")
            << HttpResponseParser::State::Incomplete;
        QTest::newRow("not http")
            << QByteArray("Cannot connect to the Docker daemon\r\n\r\n")
            << HttpResponseParser::State::Malformed;
        QTest::newRow("bad length")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n")
            << HttpResponseParser::State::Malformed;
        QTest::newRow("bad chunk size")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            << HttpResponseParser::State::Malformed;
        QTest::newRow("bad chunk end")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc")
            << HttpResponseParser::State::Malformed;
        QTest::newRow("endless header")
            << QByteArray("HTTP/1.1 200 OK\r\nX: ") + QByteArray(70000, 'x')
            << HttpResponseParser::State::Malformed;
    }

    void incompleteAndMalformed()
    {
        QFETCH(QByteArray, wire);
        QFETCH(HttpResponseParser::State, state);
        const HttpResponseParser p = parseInPieces(wire, 5, true);
        QCOMPARE(p.state(), state);
        QVERIFY(!p.response().isComplete() || state != HttpResponseParser::State::Complete);
        QVERIFY(!p.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHttpMessage)
#include "tst_httpmessage.moc"
