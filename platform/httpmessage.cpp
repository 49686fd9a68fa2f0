// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpmessage.h"

#include <QCoreApplication>

namespace Hivelab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("HttpResponseParser", text);
}

} // namespace

QByteArray HttpRequest::toBytes(bool keepAlive) const
{
    // "Connection: close" makes the engine end the stream after the (last) response, so a
    // dial-stdio command exits on its own.
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: Hivelab\r\n";
    if (!keepAlive)
        out += "Connection: close\r\n";
    if (!body.isEmpty() || method == "POST" || method == "PUT")
        out += "Content-Type: application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

QString HttpRequest::describe() const
{
    QString text = QString::fromLatin1(method + ' ' + path);
    if (!bodyForLog.isEmpty())
        text += QLatin1Char(' ') + bodyForLog;
    return text;
}

QByteArray HttpResponse::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

HttpResponseParser::State HttpResponseParser::feed(const QByteArray &data)
{
    if (m_state != State::Incomplete)
        return m_state;
    m_buffer += data;
    return parse();
}

HttpResponseParser::State HttpResponseParser::finish()
{
    if (m_state == State::Incomplete && m_phase == Phase::UntilEof)
        complete();
    return m_state;
}

QString HttpResponseParser::errorString() const
{
    if (m_state == State::Malformed)
        return m_error;
    if (m_state == State::Incomplete)
        return m_phase == Phase::Head ? tr("No HTTP response (the stream ended first).")
                                      : tr("The HTTP response was cut off.");
    return {};
}

void HttpResponseParser::fail(const QString &why)
{
    m_state = State::Malformed;
    m_error = why;
    m_buffer.clear();
}

void HttpResponseParser::complete()
{
    m_phase = Phase::Done;
    m_state = State::Complete; // m_buffer keeps what follows: takeRemainder()
}

bool HttpResponseParser::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QByteArray statusLine = lines.first().trimmed();
    // "HTTP/1.1 200 OK"
    const QList<QByteArray> parts = statusLine.split(' ');
    bool ok = false;
    const int status = parts.size() >= 2 ? parts.at(1).toInt(&ok) : 0;
    if (!statusLine.startsWith("HTTP/1.") || !ok || status < 100 || status > 999) {
        fail(tr("Not an HTTP response: %1").arg(QString::fromLatin1(statusLine.left(80))));
        return false;
    }
    m_response.status = status;
    m_response.reason = parts.mid(2).join(' ');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        m_response.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return true;
}

HttpResponseParser::State HttpResponseParser::parse()
{
    for (;;) {
        switch (m_phase) {
        case Phase::Head: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.size() > MaxHeaderBytes)
                    fail(tr("The HTTP response headers are too long."));
                return m_state;
            }
            const QByteArray head = m_buffer.left(end);
            m_buffer.remove(0, end + 4);
            if (!parseHead(head))
                return m_state;
            const int s = m_response.status;
            if (s < 200 || s == 204 || s == 304) {
                if (s < 200) { // 100 Continue and friends: the real response follows
                    m_response = HttpResponse();
                    continue;
                }
                complete();
                return m_state;
            }
            const QByteArray coding = m_response.header("transfer-encoding").toLower();
            const QByteArray length = m_response.header("content-length");
            if (coding.contains("chunked")) {
                m_phase = Phase::ChunkSize;
            } else if (!length.isEmpty()) {
                bool ok = false;
                m_remaining = length.toLongLong(&ok);
                if (!ok || m_remaining < 0) {
                    fail(tr("Bad Content-Length in the HTTP response."));
                    return m_state;
                }
                m_phase = Phase::Body;
            } else {
                m_phase = Phase::UntilEof;
            }
            continue;
        }
        case Phase::Body:
        case Phase::ChunkData:
        case Phase::UntilEof: {
            const qint64 take = m_phase == Phase::UntilEof ? m_buffer.size()
                                                           : qMin<qint64>(m_remaining, m_buffer.size());
            const qint64 room = MaxBodyBytes - m_response.body.size();
            m_response.body += m_buffer.left(qMin(take, qMax<qint64>(room, 0)));
            m_buffer.remove(0, take);
            if (m_phase == Phase::UntilEof)
                return m_state;
            m_remaining -= take;
            if (m_remaining > 0)
                return m_state;
            if (m_phase == Phase::Body) {
                complete();
                return m_state;
            }
            m_phase = Phase::ChunkDataEnd;
            continue;
        }
        case Phase::ChunkDataEnd:
            if (m_buffer.size() < 2)
                return m_state;
            if (!m_buffer.startsWith("\r\n")) {
                fail(tr("Bad chunk framing in the HTTP response."));
                return m_state;
            }
            m_buffer.remove(0, 2);
            m_phase = Phase::ChunkSize;
            continue;
        case Phase::ChunkSize: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0) {
                if (m_buffer.size() > MaxHeaderBytes)
                    fail(tr("Bad chunk framing in the HTTP response."));
                return m_state;
            }
            QByteArray size = m_buffer.left(end);
            m_buffer.remove(0, end + 2);
            const qsizetype semicolon = size.indexOf(';'); // chunk extensions
            if (semicolon >= 0)
                size.truncate(semicolon);
            bool ok = false;
            m_remaining = size.trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0) {
                fail(tr("Bad chunk size in the HTTP response."));
                return m_state;
            }
            m_phase = m_remaining == 0 ? Phase::Trailer : Phase::ChunkData;
            continue;
        }
        case Phase::Trailer: {
            const qsizetype end = m_buffer.indexOf("\r\n");
            if (end < 0) {
                if (m_buffer.size() > MaxHeaderBytes)
                    fail(tr("Bad chunk framing in the HTTP response."));
                return m_state;
            }
            const bool last = end == 0; // an empty line ends the trailer
            m_buffer.remove(0, end + 2);
            if (last) {
                complete();
                return m_state;
            }
            continue;
        }
        case Phase::Done:
            return m_state;
        }
    }
}

} // namespace Hivelab
