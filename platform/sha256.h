// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <memory>

namespace Hivelab {

/// Incremental SHA-256 on OpenSSL's libcrypto (about 8x QCryptographicHash here, which matters
/// when hashing gigabytes while writing them). One object per stream; not shared between threads.
class Sha256
{
public:
    Sha256();
    ~Sha256();
    Q_DISABLE_COPY_MOVE(Sha256)

    void add(const char *data, qint64 size);
    /// Lower-case hex digest; the object starts over afterwards.
    QByteArray hexDigest();

private:
    struct State;
    std::unique_ptr<State> d;
};

} // namespace Hivelab
