// SPDX-License-Identifier: GPL-3.0-or-later
#include "blockdevice.h"
#include "cli.h"
#include "flashjob.h"
#include "imagedownload.h"
#include "interruptguard.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <unistd.h>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QString phaseName(FlashJob::Phase phase)
{
    switch (phase) {
    case FlashJob::Phase::Waiting: return QStringLiteral("waiting");
    case FlashJob::Phase::Writing: return QStringLiteral("writing");
    case FlashJob::Phase::Verifying: return QStringLiteral("verifying");
    case FlashJob::Phase::Done: return QStringLiteral("done");
    case FlashJob::Phase::Failed: return QStringLiteral("failed");
    case FlashJob::Phase::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

QString driveLine(const Drive &d, const QString &refusal)
{
    QString line = QStringLiteral("%1  %2  %3  %4")
                       .arg(d.path, -14)
                       .arg(dataSize(d.size), 9)
                       .arg(d.transport.isEmpty() ? d.type : d.transport, -5)
                       .arg(d.model.isEmpty() ? tr("(no model)") : d.model);
    if (!d.mountpoints.isEmpty())
        line += tr("  mounted: %1").arg(d.mountpoints.join(QStringLiteral(", ")));
    if (!refusal.isEmpty())
        line += tr("  — not offered: %1").arg(refusal);
    return line;
}

int listDevices(bool all, bool json)
{
    QString error;
    const QList<Drive> drives = BlockDevice::listDrives(&error);
    if (!error.isEmpty()) {
        printErr(error);
        return ExitUsage;
    }
    const QStringList system = BlockDevice::systemDisks();
    QJsonArray out;
    int shown = 0;
    for (const Drive &d : drives) {
        const QString refusal = DriveRules::refusal(d, system);
        const bool offered = DriveRules::isOffered(d, system);
        if (!offered && !all)
            continue;
        ++shown;
        if (json) {
            out.append(QJsonObject{{QStringLiteral("path"), d.path},
                                   {QStringLiteral("size"), double(d.size)},
                                   {QStringLiteral("model"), d.model},
                                   {QStringLiteral("transport"), d.transport},
                                   {QStringLiteral("type"), d.type},
                                   {QStringLiteral("removable"), d.removable},
                                   {QStringLiteral("mountpoints"), QJsonArray::fromStringList(d.mountpoints)},
                                   {QStringLiteral("offered"), offered},
                                   {QStringLiteral("refusal"), refusal}});
        } else {
            printOut(driveLine(d, refusal));
        }
    }
    if (json)
        printOut(QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented)).trimmed());
    else if (shown == 0)
        printOut(all ? tr("No drives.") : tr("No card, USB drive or loop device to write to "
                                             "(--all lists every drive and why it is not offered)."));
    return ExitOk;
}

bool confirm(const QString &question, const QByteArray &answer)
{
    printErr(question);
    return readStdinLine().trimmed() == answer;
}

// Checks every --device, unmounts the desktop's mounts from it when allowed, and asks. Prints
// why a target is refused and returns nothing.
std::optional<QList<BlockDevice::Target>> vetTargets(const QStringList &paths, bool yes,
                                                    bool allowLarge, bool unmount, bool dryRun)
{
    QList<BlockDevice::Target> targets;
    for (const QString &path : paths) {
        BlockDevice::Target t = BlockDevice::inspect(path);
        if (!t.refusal.isEmpty()) {
            printErr(tr("Refusing to write %1: %2.").arg(path, t.refusal));
            return std::nullopt;
        }
        if (!t.drive.mountpoints.isEmpty() && !unmount) {
            printErr(tr("%1 is mounted at %2. Unmount it first, or pass --unmount.")
                         .arg(path, t.drive.mountpoints.first()));
            return std::nullopt;
        }
        targets << t;
    }
    for (int i = 0; i < targets.size(); ++i) {
        for (int j = 0; j < i; ++j) {
            if (targets.at(i).path == targets.at(j).path) {
                printErr(tr("%1 is named twice.").arg(targets.at(i).path));
                return std::nullopt;
            }
        }
    }
    const bool interactive = ::isatty(STDIN_FILENO);
    for (const BlockDevice::Target &t : std::as_const(targets)) {
        if (t.isBlock && t.size > DriveRules::LargeDeviceBytes && !allowLarge) {
            const QString name = QFileInfo(t.path).fileName();
            if (!interactive || dryRun ||
                !confirm(tr("%1 is %2: larger than any card. Type its name (%3) to write it "
                            "anyway:")
                             .arg(t.path, dataSize(t.size), name),
                         name.toUtf8())) {
                printErr(tr("Not writing %1 (%2): pass --allow-large if it really is the target.")
                             .arg(t.path, dataSize(t.size)));
                return std::nullopt;
            }
        }
    }
    if (dryRun)
        return targets;
    QStringList erased;
    for (const BlockDevice::Target &t : std::as_const(targets)) {
        if (t.isBlock || (t.exists && t.size > 0))
            erased << QStringLiteral("%1 (%2%3)").arg(t.path, dataSize(t.size),
                                                       t.drive.model.isEmpty() ? QString()
                                                                               : QStringLiteral(", ") + t.drive.model);
    }
    if (!erased.isEmpty() && !yes) {
        if (!interactive) {
            printErr(tr("This erases %1. Pass --yes to confirm.").arg(erased.join(QStringLiteral(", "))));
            return std::nullopt;
        }
        if (!confirm(tr("This erases everything on %1. Type yes to go on:").arg(erased.join(QStringLiteral(", "))), "yes")) {
            printErr(tr("Nothing written."));
            return std::nullopt;
        }
    }
    for (const BlockDevice::Target &t : std::as_const(targets)) {
        for (const QString &m : std::as_const(t.drive.mountpoints)) {
            QString error;
            if (!BlockDevice::unmount(m, &error)) {
                printErr(tr("Cannot unmount %1: %2").arg(m, error));
                return std::nullopt;
            }
            printErr(tr("Unmounted %1.").arg(m));
        }
    }
    return targets;
}

} // namespace

int cmdFlash(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Write an OS image to cards, USB drives or image files: decompressed on the fly "
           "(.img .xz .gz .zst .bz2 .zip .7z), blocks a .bmap calls unused skipped, all-zero blocks "
           "zeroed by the device instead of sent, the first MiB written last, then read back and "
           "compared."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SOURCE"), tr("Image file, catalog image ID (hivelab image list) or http(s):// URL (downloaded into the image cache first)"));
    const QCommandLineOption device(QStringLiteral("device"), tr("Target drive or image file (repeat for several)"), QStringLiteral("DEV"));
    const QCommandLineOption list(QStringLiteral("list-devices"), tr("List the drives that can be written"));
    const QCommandLineOption all(QStringLiteral("all"), tr("With --list-devices: every drive, and why one is not offered"));
    const QCommandLineOption bmap(QStringLiteral("bmap"), tr("Block map (default: IMAGE.bmap next to the image, if any)"), QStringLiteral("FILE"));
    const QCommandLineOption noBmap(QStringLiteral("no-bmap"), tr("Ignore a .bmap next to the image"));
    const QCommandLineOption sha(QStringLiteral("sha256"), tr("Expected SHA-256 of the image file"), QStringLiteral("HEX"));
    const QCommandLineOption noVerify(QStringLiteral("no-verify"), tr("Do not read the written data back"));
    const QCommandLineOption writeAll(QStringLiteral("write-all"), tr("Send all-zero blocks as data instead of asking the device to zero them"));
    const QCommandLineOption yes(QStringLiteral("yes"), tr("Do not ask before erasing the targets"));
    const QCommandLineOption large(QStringLiteral("allow-large"), tr("Allow targets larger than 256 GiB"));
    const QCommandLineOption unmount(QStringLiteral("unmount"), tr("Unmount the targets' mounted partitions first"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), tr("Check source and targets, write nothing"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Machine-readable output"));
    const QCommandLineOption labFile(QStringLiteral("lab"), tr("Lab file: after writing, give each card its board's first-boot identity (as `hivelab card prepare`)"), QStringLiteral("FILE"));
    const QCommandLineOption board(QStringLiteral("board"), tr("With --lab: the board of each --device, in the same order"), QStringLiteral("BOARD"));
    const QCommandLineOption key(QStringLiteral("key"), tr("With --lab: private key whose .pub to authorize"), QStringLiteral("PATH"));
    const QCommandLineOption noConsolePassword(QStringLiteral("no-console-password"), tr("With --lab, DietPi: a random root/dietpi password not kept in the keychain"));
    parser.addOptions({device, list, all, bmap, noBmap, sha, noVerify, writeAll, yes, large, unmount, dryRun, json, labFile, board, key,
                       noConsolePassword});
    if (auto done = parseOrFinish(parser, args))
        return *done;
    if (parser.isSet(list))
        return listDevices(parser.isSet(all), parser.isSet(json));
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1 || !parser.isSet(device)) {
        printErr(tr("Usage: hivelab flash SOURCE --device DEV [--device DEV…] (or --list-devices)"));
        return ExitUsage;
    }
    QString source = positional.first();
    const bool download = isImageDownload(source);
    if (!download && !QFileInfo(source).isFile()) {
        printErr(tr("No image file or catalog image %1 (hivelab image list shows the catalog).").arg(source));
        return ExitUsage;
    }
    if (download && !imageDownloadProblem(source).isEmpty()) {
        printErr(imageDownloadProblem(source));
        return ExitUsage;
    }
    QByteArray expected = parser.value(sha).trimmed().toLower().toLatin1();
    if (!expected.isEmpty() && (expected.size() != 64 || QByteArray::fromHex(expected).toHex() != expected)) {
        printErr(tr("--sha256 must be 64 hex digits."));
        return ExitUsage;
    }
    // First-boot identities are checked before anything is erased.
    std::optional<Lab> lab;
    QStringList boardIds;
    QString publicKey;
    if (parser.isSet(labFile) || parser.isSet(board)) {
        if (!parser.isSet(labFile) || parser.values(board).size() != parser.values(device).size()) {
            printErr(tr("--lab FILE needs one --board per --device, in the same order."));
            return ExitUsage;
        }
        lab = loadLab(parser.value(labFile));
        if (!lab)
            return ExitUsage;
        const auto ids = resolveBoards(*lab, parser.values(board), parser.value(labFile));
        if (!ids)
            return ExitUsage;
        if (ids->size() != parser.values(board).size()) {
            printErr(tr("A board is named twice."));
            return ExitUsage;
        }
        boardIds = *ids;
        const auto pub = cardPublicKey(parser.value(key));
        if (!pub)
            return ExitUsage;
        publicKey = *pub;
    }
    const auto targets = vetTargets(parser.values(device), parser.isSet(yes), parser.isSet(large),
                                    parser.isSet(unmount), parser.isSet(dryRun));
    if (!targets)
        return ExitUsage;
    // From here Ctrl-C stops the step running (the check, the download and the writer each
    // cancel their own job) and the command ends with ExitInterrupted; nothing is left half
    // done in the keychain.
    FlashJob job;
    InterruptGuard guard([&job] { job.cancel(); });
    // A DietPi image with no keychain for its console password is refused before a byte is
    // erased (or downloaded: a catalog image's flavour is known without it).
    bool imageIsDietPi = false;
    if (lab && !parser.isSet(dryRun)) {
        const int rc = checkCardImage(*lab, boardIds.first(), targets->first().path, source,
                                      download ? QString() : source,
                                      !parser.isSet(noConsolePassword), &imageIsDietPi);
        if (rc != ExitOk)
            return rc;
    }
    if (guard.interrupted())
        return ExitInterrupted;
    // Targets first, so a refused card costs no download; the download's own checksum check
    // comes before any byte is written, and the writer checks the same hash again as it reads.
    bool verifiedDownload = false;
    std::optional<FetchedImage> image; // held to the end: its cache file is in use
    if (download && !parser.isSet(dryRun)) {
        int code = ExitOk;
        image = fetchImage(source, expected, ImageDownload::DefaultStallTimeoutMs / 1000, parser.isSet(json), &code);
        if (!image)
            return code;
        if (guard.interrupted())
            return ExitInterrupted;
        source = image->path;
        verifiedDownload = image->verified;
        if (image->verified)
            expected = image->sha256.toLatin1();
    }
    FlashJob::Options options;
    options.source = source;
    options.bmapPath = parser.isSet(bmap)     ? parser.value(bmap)
                       : parser.isSet(noBmap) ? QString()
                                              : FlashJob::siblingBmap(source);
    options.sha256 = expected;
    // The download hashed every byte it stored (or re-hashed the cached copy) a moment ago.
    options.sha256Checked = verifiedDownload;
    options.verify = !parser.isSet(noVerify);
    options.zeroOut = !parser.isSet(writeAll);
    if (parser.isSet(dryRun)) {
        for (const BlockDevice::Target &t : *targets)
            printOut(tr("Would write %1 to %2%3.").arg(source, t.path, options.bmapPath.isEmpty() ? QString() : tr(" using %1").arg(options.bmapPath)));
        return ExitOk;
    }

    QElapsedTimer clock;
    clock.start();
    QList<FlashJob::Phase> lastPhase(targets->size(), FlashJob::Phase::Waiting);
    qint64 lastPrint = -10000;
    QObject::connect(&job, &FlashJob::progressChanged, &job,
                     [&](int i, FlashJob::Phase phase, qint64 done, qint64 total) {
                         const bool changed = phase != lastPhase.at(i);
                         lastPhase[i] = phase;
                         const bool due = clock.elapsed() - lastPrint >= 2000;
                         if (parser.isSet(json) || (!changed && !due))
                             return;
                         if (i == targets->size() - 1 || changed)
                             lastPrint = clock.elapsed();
                         const double seconds = qMax(0.001, clock.elapsed() / 1000.0);
                         printErr(QStringLiteral("%1  %2  %3 of %4  %5/s")
                                      .arg(targets->at(i).path, phaseName(phase))
                                      .arg(dataSize(done), total > 0 ? dataSize(total) : QStringLiteral("?"))
                                      .arg(dataSize(qint64(done / seconds))));
                     });
    QEventLoop loop;
    QObject::connect(&job, &FlashJob::finished, &loop, &QEventLoop::quit);
    job.start(options, *targets);
    loop.exec();

    const QList<FlashJob::TargetResult> results = job.results();
    bool allOk = true;
    QJsonArray out;
    for (const FlashJob::TargetResult &r : results) {
        allOk = allOk && r.phase == FlashJob::Phase::Done;
        if (parser.isSet(json)) {
            out.append(QJsonObject{{QStringLiteral("device"), r.target.path},
                                   {QStringLiteral("result"), phaseName(r.phase)},
                                   {QStringLiteral("error"), r.error},
                                   {QStringLiteral("written"), double(r.written)},
                                   {QStringLiteral("direct"), r.direct},
                                   {QStringLiteral("writeSeconds"), r.writeSeconds},
                                   {QStringLiteral("verifySeconds"), r.verifySeconds}});
        } else if (r.phase == FlashJob::Phase::Done) {
            printOut(tr("%1: written %2 in %3 s%4.")
                         .arg(r.target.path, dataSize(r.written))
                         .arg(r.writeSeconds, 0, 'f', 1)
                         .arg(options.verify ? tr(", verified in %1 s").arg(r.verifySeconds, 0, 'f', 1) : QString()));
        } else {
            printErr(QStringLiteral("%1: %2").arg(r.target.path, r.error));
        }
    }
    QJsonArray prepared;
    if (lab && allOk && !guard.interrupted()) {
        for (int i = 0; i < results.size(); ++i) {
            QJsonObject report;
            const int rc =
                prepareCard(&*lab, boardIds.at(i), results.at(i).target.path, publicKey, &report,
                            positional.first(), !parser.isSet(noConsolePassword), imageIsDietPi);
            if (rc != ExitOk) {
                allOk = false;
                break;
            }
            prepared.append(report);
            if (!parser.isSet(json))
                printOut(tr("%1: first boot as %2 (%3), instance %4.")
                             .arg(results.at(i).target.path, report.value(QLatin1String("hostname")).toString(),
                                  report.value(QLatin1String("address")).toString(), report.value(QLatin1String("instanceId")).toString()));
            if (!parser.isSet(json) && !consolePasswordText(report).isEmpty())
                printOut(consolePasswordText(report));
        }
        // What was prepared is recorded even when a later card failed.
        if (!prepared.isEmpty() && !saveLab(*lab, parser.value(labFile)))
            allOk = false;
    }
    const QString sourceError = job.sourceError();
    if (parser.isSet(json)) {
        printOut(QString::fromUtf8(QJsonDocument(QJsonObject{
                                                     {QStringLiteral("source"), source},
                                                     {QStringLiteral("verifiedDownload"), verifiedDownload},
                                                     {QStringLiteral("format"), job.sourceDescription()},
                                                     {QStringLiteral("sha256"), QString::fromLatin1(job.sourceSha256())},
                                                     {QStringLiteral("imageSize"), double(job.imageSize())},
                                                     {QStringLiteral("mappedBytes"), double(job.mappedBytes())},
                                                     {QStringLiteral("zeroedBytes"), double(job.zeroedBytes())},
                                                     {QStringLiteral("error"), sourceError},
                                                     {QStringLiteral("targets"), out},
                                                     {QStringLiteral("firstBoot"), prepared}})
                                         .toJson(QJsonDocument::Indented))
                     .trimmed());
    } else if (!sourceError.isEmpty()) {
        printErr(sourceError);
    } else if (allOk) {
        const QString sha = job.sourceSha256().isEmpty() ? QString() : tr(", SHA-256 %1").arg(QString::fromLatin1(job.sourceSha256()));
        printOut(tr("Image %1 (%2, %3: %4 of data, %5 zeroed, the rest unused)%6.")
                     .arg(source, job.sourceDescription(), dataSize(job.imageSize()), dataSize(job.mappedBytes()),
                          dataSize(job.zeroedBytes()), sha));
    }
    if (guard.interrupted())
        return ExitInterrupted;
    return allOk ? ExitOk : ExitFindings;
}

} // namespace Hivelab::Cli
