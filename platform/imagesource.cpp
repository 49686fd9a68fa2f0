// SPDX-License-Identifier: GPL-3.0-or-later
#include "imagesource.h"
#include "sha256.h"

#include <QCoreApplication>
#include <QFile>

#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>

namespace Hivelab {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ImageSource", text);
}

constexpr qint64 FileChunk = 1 << 20;

// libarchive is opened when the first compressed image is read, not linked: with what it brings
// (libxml2, nettle, libacl, libbz2) it cost 2.4 M instructions at every start of `hivelab`, the
// window's and every command's (docs/GUI.md, Start-up). packaging/ names it in Depends.
#define HIVELAB_LIBARCHIVE_FUNCTIONS(F)                                                            \
    F(archive_read_new)                                                                            \
    F(archive_read_free)                                                                           \
    F(archive_read_support_format_zip)                                                             \
    F(archive_read_support_format_7zip)                                                            \
    F(archive_read_support_format_raw)                                                             \
    F(archive_read_support_filter_all)                                                             \
    F(archive_read_set_seek_callback)                                                              \
    F(archive_read_open)                                                                           \
    F(archive_read_next_header)                                                                    \
    F(archive_read_data)                                                                           \
    F(archive_error_string)                                                                        \
    F(archive_entry_pathname)                                                                      \
    F(archive_entry_pathname_utf8)                                                                 \
    F(archive_entry_filetype)                                                                      \
    F(archive_entry_size)                                                                          \
    F(archive_entry_size_is_set)

struct LibArchive
{
#define HIVELAB_LIBARCHIVE_POINTER(name) decltype(&::name) name = nullptr;
    HIVELAB_LIBARCHIVE_FUNCTIONS(HIVELAB_LIBARCHIVE_POINTER)
#undef HIVELAB_LIBARCHIVE_POINTER
    QString error; // why it could not be loaded; empty when every function was found
};

// Loaded once (any thread: a function-local static) and never unloaded.
const LibArchive &libArchive()
{
    static const LibArchive lib = [] {
        LibArchive l;
        void *handle = dlopen(HIVELAB_LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            l.error = QString::fromLocal8Bit(dlerror());
            return l;
        }
#define HIVELAB_LIBARCHIVE_RESOLVE(name)                                                           \
    l.name = reinterpret_cast<decltype(l.name)>(dlsym(handle, #name));                             \
    if (!l.name) {                                                                                 \
        l.error = QStringLiteral(HIVELAB_LIBARCHIVE_SONAME " has no " #name);                      \
        return l;                                                                                  \
    }
        HIVELAB_LIBARCHIVE_FUNCTIONS(HIVELAB_LIBARCHIVE_RESOLVE)
#undef HIVELAB_LIBARCHIVE_RESOLVE
        return l;
    }();
    return lib;
}

QString kindFromMagic(const QByteArray &head)
{
    struct Magic
    {
        const char *bytes;
        int size;
        const char *kind;
    };
    static const Magic magics[] = {
        {"\xFD\x37\x7A\x58\x5A\x00", 6, "xz"},   {"\x1F\x8B", 2, "gzip"},
        {"\x28\xB5\x2F\xFD", 4, "zstd"},         {"BZh", 3, "bzip2"},
        {"PK\x03\x04", 4, "zip"},                {"7z\xBC\xAF\x27\x1C", 6, "7z"},
    };
    for (const Magic &m : magics) {
        if (head.startsWith(QByteArray(m.bytes, m.size)))
            return QLatin1String(m.kind);
    }
    return QStringLiteral("raw");
}

bool isDiskImageName(const QString &name)
{
    for (const char *ext : {".img", ".raw", ".iso", ".bin"}) {
        if (name.endsWith(QLatin1String(ext), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace

// The file is read here, not by libarchive, so every byte passes the hash exactly once.
struct ImageSource::Archive
{
    QFile file;
    Sha256 hash;
    std::atomic<qint64> *consumed = nullptr;
    QByteArray buffer;
    struct archive *a = nullptr;
    bool sequential = true; // 7z seeks: then the hash is taken in a second pass at the end

    ~Archive()
    {
        if (a)
            libArchive().archive_read_free(a);
    }

    qint64 readFile(char *to, qint64 max)
    {
        const qint64 at = file.pos();
        const qint64 n = file.read(to, max);
        if (n > 0) {
            hash.add(to, n);
            consumed->store(qMax(consumed->load(), at + n));
        }
        return n;
    }

    static la_ssize_t readCallback(struct archive *, void *self, const void **out)
    {
        auto *s = static_cast<Archive *>(self);
        s->buffer.resize(FileChunk);
        const qint64 n = s->readFile(s->buffer.data(), FileChunk);
        *out = s->buffer.constData();
        return la_ssize_t(n);
    }

    static la_int64_t seekCallback(struct archive *, void *self, la_int64_t offset, int whence)
    {
        auto *s = static_cast<Archive *>(self);
        const qint64 base = whence == SEEK_CUR ? s->file.pos() : whence == SEEK_END ? s->file.size() : 0;
        if (!s->file.seek(base + offset))
            return ARCHIVE_FATAL;
        s->sequential = false;
        return s->file.pos();
    }
};

ImageSource::ImageSource()
    : m_archive(new Archive)
{}

ImageSource::~ImageSource() = default;

bool ImageSource::open(const QString &path, QString *error)
{
    Archive &s = *m_archive;
    s.consumed = &m_fileRead;
    s.file.setFileName(path);
    // Unbuffered: reads go straight to the caller's aligned buffer, no copy through QFile's.
    if (!s.file.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        *error = tr("Cannot read %1: %2").arg(path, s.file.errorString());
        return false;
    }
    m_fileSize = s.file.size();
    m_kind = kindFromMagic(s.file.peek(8));
    if (m_kind == QLatin1String("raw")) {
        m_imageSize = m_fileSize;
        return true;
    }
    const LibArchive &la = libArchive();
    if (!la.error.isEmpty()) {
        *error = tr("Cannot read %1: libarchive cannot be loaded (%2)").arg(path, la.error);
        return false;
    }
    s.a = la.archive_read_new();
    const bool container = m_kind == QLatin1String("zip") || m_kind == QLatin1String("7z");
    // Raw-only for compressed disk images: with every format on, libarchive would read an ISO
    // or a tar-shaped image as its contents instead of as bytes.
    if (container) {
        la.archive_read_support_format_zip(s.a);
        la.archive_read_support_format_7zip(s.a); // reads its header at the end: needs seeking
        la.archive_read_set_seek_callback(s.a, &Archive::seekCallback);
    } else {
        la.archive_read_support_format_raw(s.a);
    }
    la.archive_read_support_filter_all(s.a);
    if (la.archive_read_open(s.a, &s, nullptr, &Archive::readCallback, nullptr) != ARCHIVE_OK) {
        *error = tr("%1 is not a readable %2 file: %3")
                     .arg(path, m_kind, QString::fromUtf8(la.archive_error_string(s.a)));
        return false;
    }
    struct archive_entry *entry = nullptr;
    for (;;) {
        const int r = la.archive_read_next_header(s.a, &entry);
        if (r == ARCHIVE_EOF) {
            *error = tr("%1 holds no disk image (no .img, .raw or .iso entry)").arg(path);
            return false;
        }
        if (r < ARCHIVE_WARN) {
            *error =
                tr("%1 is damaged: %2").arg(path, QString::fromUtf8(la.archive_error_string(s.a)));
            return false;
        }
        if (!container)
            break;
        m_entry = QString::fromUtf8(la.archive_entry_pathname_utf8(entry)
                                        ? la.archive_entry_pathname_utf8(entry)
                                        : la.archive_entry_pathname(entry));
        if (la.archive_entry_filetype(entry) == AE_IFREG && isDiskImageName(m_entry))
            break;
    }
    if (container && la.archive_entry_size_is_set(entry))
        m_imageSize = la.archive_entry_size(entry);
    return true;
}

qint64 ImageSource::readRaw(char *buffer, qint64 size)
{
    const qint64 n = m_archive->readFile(buffer, size);
    if (n < 0)
        m_error = m_archive->file.errorString();
    return n;
}

bool ImageSource::hashRestOfFile()
{
    if (!m_archive->sequential) {
        m_archive->hash.hexDigest(); // start over: the file was not read front to back
        m_archive->file.seek(0);
    }
    QByteArray rest(int(FileChunk), Qt::Uninitialized);
    qint64 n = 0;
    while ((n = m_archive->readFile(rest.data(), rest.size())) > 0) {
    }
    if (n < 0) {
        m_error = m_archive->file.errorString();
        return false;
    }
    m_fileSha256 = m_archive->hash.hexDigest();
    return true;
}

qint64 ImageSource::read(char *buffer, qint64 size)
{
    if (m_ended)
        return 0;
    qint64 n = 0;
    if (!m_archive->a) {
        n = readRaw(buffer, size);
    } else {
        // libarchive may hand back less than asked; fill the buffer so callers see whole blocks.
        const LibArchive &la = libArchive();
        while (n < size) {
            const la_ssize_t got = la.archive_read_data(m_archive->a, buffer + n, size_t(size - n));
            if (got < 0) {
                m_error = tr("the image is damaged: %1")
                              .arg(QString::fromUtf8(la.archive_error_string(m_archive->a)));
                return -1;
            }
            if (got == 0)
                break;
            n += got;
        }
    }
    if (n == 0) {
        m_ended = true;
        if (!hashRestOfFile())
            return -1;
        if (m_imageSize >= 0 && m_produced < m_imageSize) {
            m_error = tr("the image ends early (truncated download?)");
            return -1;
        }
    }
    m_produced += n;
    return n;
}

} // namespace Hivelab
