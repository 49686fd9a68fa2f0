// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <utility>

namespace Hivelab {

/// One HTTP/1.1 request, as sent over a byte stream (e.g. the Docker engine's socket reached
/// through `docker system dial-stdio`). Plain value type, any thread.
struct HttpRequest
{
    QByteArray method = "GET";
    QByteArray path; // with the query, e.g. "/v1.41/nodes"
    QByteArray body; // sent with Content-Length; JSON bodies get Content-Type application/json
    /// Shown in logs instead of the body (a request body may carry a secret, e.g. a join token).
    QString bodyForLog;

    /// The request on the wire: "Host: docker", Content-Length, and "Connection: close" unless
    /// `keepAlive` (more requests follow on the same connection).
    QByteArray toBytes(bool keepAlive = false) const;
    /// "POST /swarm/join" and bodyForLog: for logs. Never the body itself.
    QString describe() const;
};

/// A parsed HTTP/1.1 response. Plain value type, any thread.
struct HttpResponse
{
    int status = 0; // 0: no (complete) response
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case, in order
    QByteArray body;                              // de-chunked

    bool isComplete() const { return status > 0; }
    bool isSuccess() const { return status >= 200 && status < 300; }
    QByteArray header(const QByteArray &lowerCaseName) const;
};

/// Incremental HTTP/1.1 response parser: bodies framed by Content-Length, chunked transfer
/// coding, or (neither) the end of the stream. Plain object, one thread.
class HttpResponseParser
{
public:
    enum class State { Incomplete, Complete, Malformed };

    /// Headers and chunk framing larger than this are Malformed; bodies larger are cut off.
    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr qsizetype MaxBodyBytes = 16 * 1024 * 1024;

    /// Feeds the next bytes of the stream; returns the new state.
    State feed(const QByteArray &data);
    /// The stream ended: completes a body framed by the end of the stream, else the response
    /// stays Incomplete (truncated).
    State finish();

    State state() const { return m_state; }
    /// The response once Complete (partial data otherwise).
    const HttpResponse &response() const { return m_response; }
    /// Why the stream is Malformed or Incomplete, in words, for messages.
    QString errorString() const;
    /// Once Complete: the bytes that came after the response (the next response of a
    /// pipelined connection); they are no longer held.
    QByteArray takeRemainder() { return std::exchange(m_buffer, QByteArray()); }

private:
    enum class Phase { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailer, UntilEof, Done };
    State parse();
    bool parseHead(const QByteArray &head);
    void complete();
    void fail(const QString &why);

    State m_state = State::Incomplete;
    Phase m_phase = Phase::Head;
    QByteArray m_buffer;
    HttpResponse m_response;
    qint64 m_remaining = 0; // body or chunk bytes still expected
    QString m_error;
};

} // namespace Hivelab
