// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace Hivelab {

/// Replaces a file's contents all at once: the bytes go to a new file in the same folder, which
/// gets the owner, group and mode of the file it replaces (a new file: 0666 minus the umask),
/// is flushed to disk, renamed over the target, and the folder is flushed too. On any failure
/// the old file is untouched and no temporary file is left behind; Ctrl-C, SIGTERM and SIGHUP
/// wait in the calling thread until the save is over. A symbolic link is followed
/// (its target is replaced, the link stays). Synchronous (small files); any thread.
/// One implementation per OS (models/posix/atomicfilewriter_posix.cpp).
class AtomicFileWriter
{
public:
    /// The step that failed, with the OS error code; each caller words its own message.
    enum class Step {
        None,
        OpenFolder,      // the folder cannot be opened (missing, not a folder, no permission)
        NotRegularFile,  // the target exists but is a folder, device, FIFO, …
        CreateTemporary, // no new file can be made in the folder
        Write,           // writing or flushing the new file (e.g. ENOSPC)
        Replace,         // renaming the new file over the target
        SyncFolder,      // the target was replaced, but the folder could not be flushed
    };

    struct Result
    {
        Step failedStep = Step::None;
        int errorCode = 0; // errno
        bool ok() const { return failedStep == Step::None; }
        /// The OS's text for errorCode ("No space left on device").
        QString errorText() const;
    };

    /// `mode` >= 0: the file gets exactly these permission bits (e.g. 0600 for a private key),
    /// and is never readable by others on the way, not even as the temporary file.
    static Result write(const QString &path, const QByteArray &data, int mode = -1);
};

} // namespace Hivelab
