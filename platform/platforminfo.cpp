// SPDX-License-Identifier: GPL-3.0-or-later
#include "platforminfo.h"

#include <libssh2.h>
#include <qt6keychain/keychain.h>

namespace Hivelab {

QString platformLibraryVersions()
{
    return QStringLiteral("Qt %1, libssh2 %2, QtKeychain")
        .arg(QLatin1String(qVersion()), QLatin1String(libssh2_version(0)));
}

} // namespace Hivelab
