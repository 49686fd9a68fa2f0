// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "firstbootcard.h"
#include "labtypes.h"

#include <QCoreApplication>
#include <QStringList>

#include <atomic>

namespace Hivelab {

/// Gives one card, which already holds its OS image, its board's first-boot identity: an
/// address allocated from the lab's pool when a static board has none, a new instance ID (the
/// marker discovery matches the booted board by), the identity checked, then written with
/// FirstBootCard. `hivelab card prepare`, `hivelab flash --lab` and the GUI's card writer all
/// come through here. Synchronous (mtools runs, each bounded); a GUI calls it off its thread.
namespace CardPreparation {

struct Result
{
    bool ok = false;
    QStringList errors;     // why nothing was written, one line each
    Lab lab;                // the lab with the board's instance ID (and address) recorded
    BoardIdentity identity; // what was written
    FirstBootCard::Flavour flavour = FirstBootCard::Flavour::CloudInit;
    QStringList files; // names on the boot partition, written and read back

    /// "10.0.0.11/24" or "dhcp".
    QString addressText() const;
    /// "cloud-init" or "dietpi".
    QString flavourName() const;
};

/// How the card is reached. Auto: mtools on the device itself when this process may write
/// it, else through a descriptor UDisks2 hands out after polkit asked (the GUI is not root).
/// Descriptor: always through a descriptor (tests prove that path as root).
enum class Access { Auto, Descriptor };

/// `lab` is not changed; the result carries the updated copy. `publicKey` is one OpenSSH
/// public key line authorized for the login user. `console`: DietPi's root/dietpi password
/// (by default a random one nobody is told).
Result prepare(const Lab &lab, const QString &boardId, const QString &target,
               const QString &publicKey, Access access = Access::Auto,
               std::optional<FirstBootCard::Flavour> flavour = std::nullopt,
               const FirstBootCard::ConsolePassword &console = {});
/// The flavour the catalog names for `source` (a catalog image ID), if any.
std::optional<FirstBootCard::Flavour> catalogFlavour(const QString &source);
inline constexpr qint64 HeadLimit = qint64(1) << 30;
/// The flavour of the OS image file `image` before it is written (FirstBootCard::flavourOf):
/// a raw image is read in place; a compressed one (ImageSource) is decompressed up to the end
/// of its boot FAT (at most HeadLimit bytes) into a sparse scratch file, and tells only DietPi
/// there (a dietpi.txt in /boot of an ext4 root would need the whole image). Nothing, with
/// `error`, when it cannot tell. `cancelled`, when given, is polled between the 1 MiB blocks of
/// the decompression: once set it stops there (nothing, `error` says so) and the scratch file
/// is removed. Synchronous (blocking reads); a GUI calls it off its thread.
std::optional<FirstBootCard::Flavour> imageFlavour(const QString &image, QString *error,
                                                   const std::atomic_bool *cancelled = nullptr);
/// Whether `image` opens as an uncompressed image (imageFlavour reads it in place).
bool isRawImage(const QString &image);

/// What the card would boot as (hostname, address or "dhcp", user), without writing or
/// allocating: for a preview next to the card. Empty address while none is planned yet.
QString preview(const Lab &lab, const QString &boardId);

} // namespace CardPreparation

} // namespace Hivelab
