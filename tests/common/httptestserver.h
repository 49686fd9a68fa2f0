// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A small HTTP/1.1 file server on 127.0.0.1 for download tests: byte ranges (with If-Range on
// an ETag), and faults on demand — drop the connection or stop sending after N body bytes.
// One request per connection. Never listens on anything but loopback.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace HivelabTest {

class HttpTestServer
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QMap<QByteArray, QByteArray> headers; // names in lower case
    };
    enum class Fault { None, Drop, Stall };

    HttpTestServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                m_sockets << s;
                auto *buffer = new QByteArray;
                QObject::connect(s, &QObject::destroyed, s, [buffer] { delete buffer; });
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    if (buffer->contains("\r\n\r\n"))
                        return; // already answered
                    buffer->append(s->readAll());
                    if (buffer->contains("\r\n\r\n"))
                        answer(s, *buffer);
                });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("cannot listen on 127.0.0.1");
    }

    void setFile(const QByteArray &path, const QByteArray &body) { m_files[path] = body; }
    /// The next `count` image requests fail: the connection drops (or stalls) after `afterBytes`
    /// body bytes.
    void setFault(Fault fault, qint64 afterBytes, int count = 1)
    {
        m_fault = fault;
        m_faultAfter = afterBytes;
        m_faultCount = count;
    }
    /// Without ETag and Last-Modified, nothing tells a client the file did not change.
    void setSendValidator(bool send) { m_validator = send; }
    QUrl url(const QByteArray &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2")
                        .arg(m_server.serverPort())
                        .arg(QString::fromLatin1(path)));
    }
    const QList<Request> &requests() const { return m_requests; }
    /// Closes every connection (a stalled one included).
    void closeAll()
    {
        for (const QPointer<QTcpSocket> &s : std::as_const(m_sockets)) {
            if (s)
                s->abort();
        }
    }

private:
    void answer(QTcpSocket *s, const QByteArray &raw)
    {
        Request req;
        const QList<QByteArray> lines = raw.left(raw.indexOf("\r\n\r\n")).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        req.method = first.value(0);
        req.path = first.value(1);
        for (int i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                req.headers[lines.at(i).left(colon).trimmed().toLower()] =
                    lines.at(i).mid(colon + 1).trimmed();
        }
        m_requests << req;
        if (!m_files.contains(req.path)) {
            s->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            s->disconnectFromHost();
            return;
        }
        const QByteArray &body = m_files[req.path];
        const QByteArray etag = "\"" + QByteArray::number(qHash(body), 16) + "\"";
        qint64 start = 0;
        const QByteArray range = req.headers.value("range");
        const QByteArray ifRange = req.headers.value("if-range");
        const bool rangeOk = range.startsWith("bytes=") && range.endsWith('-') &&
                             (ifRange.isEmpty() || (m_validator && ifRange == etag));
        if (rangeOk)
            start = range.mid(6, range.size() - 7).toLongLong();
        QByteArray head;
        if (rangeOk && start >= body.size()) {
            head = "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" +
                   QByteArray::number(body.size()) + "\r\nContent-Length: 0\r\n";
        } else if (rangeOk) {
            head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " +
                   QByteArray::number(start) + '-' + QByteArray::number(body.size() - 1) + '/' +
                   QByteArray::number(body.size()) + "\r\n";
        } else {
            head = "HTTP/1.1 200 OK\r\n";
        }
        const QByteArray payload = rangeOk && start >= body.size() ? QByteArray() : body.mid(start);
        if (!head.startsWith("HTTP/1.1 416"))
            head += "Content-Length: " + QByteArray::number(payload.size()) + "\r\n";
        if (m_validator)
            head += "ETag: " + etag + "\r\n";
        head += "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n";
        s->write(head);
        if (m_faultCount > 0 && m_fault != Fault::None && payload.size() > m_faultAfter) {
            --m_faultCount;
            s->write(payload.left(m_faultAfter));
            if (m_fault == Fault::Drop)
                s->disconnectFromHost(); // after the bytes above are sent
            return;                      // Stall: hold the connection, send nothing more
        }
        s->write(payload);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    QList<QPointer<QTcpSocket>> m_sockets;
    QMap<QByteArray, QByteArray> m_files;
    QList<Request> m_requests;
    Fault m_fault = Fault::None;
    qint64 m_faultAfter = 0;
    int m_faultCount = 0;
    bool m_validator = true;
};

} // namespace HivelabTest
