// SPDX-License-Identifier: GPL-3.0-or-later
// UDisks2's Block.OpenDevice: a file descriptor for a card the user may not open, authorised
// by polkit, so that the GUI never runs as root (Raspberry Pi Imager does the same on Linux).
#include "blockdevice.h"

#include <QCoreApplication>
#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusUnixFileDescriptor>
#include <QDBusMetaType>
#include <QDBusVariant>
#include <QVariantMap>

#include <fcntl.h>
#include <unistd.h>

namespace Hivelab::BlockDevice {

namespace {

constexpr int AuthorisationTimeoutMs = 120000;
const QString Service = QStringLiteral("org.freedesktop.UDisks2");

QString tr(const char *text)
{
    return QCoreApplication::translate("BlockDevice", text);
}

QString whyNot(const QDBusMessage &reply, const QString &path)
{
    const QString name = reply.errorName();
    if (name == QLatin1String("org.freedesktop.DBus.Error.ServiceUnknown") ||
        name == QLatin1String("org.freedesktop.DBus.Error.NoServer") ||
        name == QLatin1String("org.freedesktop.DBus.Error.FileNotFound") ||
        name == QLatin1String("org.freedesktop.DBus.Error.Disconnected"))
        return tr("no permission to write %1, and the system's disk service (UDisks2), which "
                  "would ask for authorisation, is not running: install and start udisks2, or "
                  "run as root")
            .arg(path);
    if (name == QLatin1String("org.freedesktop.UDisks2.Error.NotAuthorizedCanObtain") ||
        name == QLatin1String("org.freedesktop.UDisks2.Error.NotAuthorized") ||
        name == QLatin1String("org.freedesktop.UDisks2.Error.NotAuthorizedDismissed"))
        return tr("not authorised to write %1: %2").arg(path, reply.errorMessage());
    if (name == QLatin1String("org.freedesktop.DBus.Error.NoReply"))
        return tr("no answer from the authorisation to write %1 within 2 minutes").arg(path);
    return tr("UDisks2 cannot open %1: %2").arg(path, reply.errorMessage());
}

} // namespace

bool canOpenDirectly(const QString &path)
{
    return ::access(path.toLocal8Bit().constData(), W_OK) == 0;
}

int openAuthorized(const QString &path, bool write, bool *direct, QString *error)
{
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected()) {
        *error = tr("no permission to write %1, and there is no system bus to ask the disk "
                    "service (UDisks2): run as root")
                     .arg(path);
        return -1;
    }
    QDBusMessage resolve = QDBusMessage::createMethodCall(
        Service, QStringLiteral("/org/freedesktop/UDisks2/Manager"),
        QStringLiteral("org.freedesktop.UDisks2.Manager"), QStringLiteral("ResolveDevice"));
    resolve << QVariantMap{{QStringLiteral("path"), path}} << QVariantMap();
    const QDBusMessage found = bus.call(resolve, QDBus::Block, 10000);
    if (found.type() == QDBusMessage::ErrorMessage) {
        *error = whyNot(found, path);
        return -1;
    }
    const QList<QDBusObjectPath> objects =
        found.arguments().isEmpty() ? QList<QDBusObjectPath>()
                                    : qdbus_cast<QList<QDBusObjectPath>>(found.arguments().first());
    if (objects.isEmpty()) {
        *error = tr("no permission to write %1, and the disk service (UDisks2) does not know it")
                     .arg(path);
        return -1;
    }
    for (const bool withDirect : {true, false}) {
        QDBusMessage open = QDBusMessage::createMethodCall(
            Service, objects.first().path(), QStringLiteral("org.freedesktop.UDisks2.Block"),
            QStringLiteral("OpenDevice"));
        const int flags = (withDirect ? O_DIRECT : 0) | (write ? O_EXCL : 0);
        open << (write ? QStringLiteral("rw") : QStringLiteral("r"))
             << QVariantMap{{QStringLiteral("flags"), flags}};
        open.setInteractiveAuthorizationAllowed(true);
        const QDBusMessage reply = bus.call(open, QDBus::Block, AuthorisationTimeoutMs);
        if (reply.type() == QDBusMessage::ErrorMessage) {
            // Some devices refuse O_DIRECT (EINVAL): try once more without it.
            if (withDirect && reply.errorMessage().contains(QLatin1String("Invalid argument")))
                continue;
            *error = whyNot(reply, path);
            return -1;
        }
        const auto descriptor =
            qdbus_cast<QDBusUnixFileDescriptor>(reply.arguments().value(0));
        // The descriptor object owns its fd: keep a duplicate of our own.
        const int fd = descriptor.isValid() ? ::fcntl(descriptor.fileDescriptor(), F_DUPFD_CLOEXEC, 0)
                                            : -1;
        if (fd < 0) {
            *error = tr("UDisks2 gave no usable descriptor for %1").arg(path);
            return -1;
        }
        *direct = withDirect;
        return fd;
    }
    return -1;
}

} // namespace Hivelab::BlockDevice
