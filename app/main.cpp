// SPDX-License-Identifier: GPL-3.0-or-later
// `hivelab`: commands, --help and --version run here with Qt Core only; the window lives in the
// module hivelab-gui.so (guimain.cpp), loaded only when a window is opened. Linking the widgets
// into this binary made every command load Qt Widgets, Gui, X11, fontconfig and friends at
// start (docs/DISCOVERY.md: process start).
#include "cli.h"
#include "guimain.h"
#include "platforminfo.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <dlfcn.h>

using namespace Hivelab;

namespace {

QString topLevelHelp()
{
    QString text = QCoreApplication::translate(
        "main",
        "Usage: hivelab [--demo | FILE] [--wizard] [--screenshot PNG]\n"
        "       hivelab COMMAND [OPTIONS]   (COMMAND --help for details)\n\n"
        "Plan, provision and run a fault-tolerant Docker Swarm on single-board computers.\n\n"
        "Options:\n"
        "  --demo              Open the built-in demo lab.\n"
        "  --screenshot PNG    Save a screenshot of the main window and quit.\n"
        "  --dark              Use the dark palette.\n"
        "  --live              Turn on Live Status: ask the lab's managers over SSH every 15 s\n"
        "                      (with --screenshot: after the first answer).\n"
        "  --screenshot-drag PNG    With --demo: screenshot with a board being dragged, then quit.\n"
        "  --screenshot-wizard PNG  Screenshot of the setup wizard, then quit.\n"
        "  --wizard            Open the setup wizard over the main window.\n"
        "  --wizard-page N     Open the wizard at step N (1-8; with --screenshot).\n"
        "  --size WxH          Window (and wizard) size, e.g. 1280x800 for screenshots.\n"
        "  -h, --help          Show this help.\n"
        "  -v, --version       Show the version.\n\n"
        "Commands:\n");
    for (const Cli::Command &c : Cli::commands()) {
        text += QStringLiteral("  %1%2\n")
                    .arg(QString::fromLatin1(c.name).leftJustified(20, QLatin1Char(' ')),
                         QCoreApplication::translate("Cli", c.summary));
    }
    return text;
}

// A bare word that is no file ("hivelab chek") is a mistyped subcommand, not a lab to open.
bool looksLikeCommand(int argc, char **argv)
{
    if (argc < 2)
        return false;
    const QString first = QString::fromLocal8Bit(argv[1]);
    return !first.isEmpty() && !first.startsWith(QLatin1Char('-')) &&
           !first.contains(QLatin1Char('.')) && !first.contains(QLatin1Char('/')) &&
           !QFileInfo::exists(first);
}

bool wantsHelpOrVersion(int argc, char **argv, bool *version)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--help" || a == "-h" || a == "-?")
            return true;
        if (a == "--version" || a == "-v") {
            *version = true;
            return true;
        }
    }
    return false;
}

// The libraries the module brings (Widgets, Gui, Svg, X11, fontconfig…) resolve their symbols in
// its own scope first: in the global scope, each of their ~5,000 look-ups first failed in every
// library this binary had loaded (+1.2 % of the window's start in instructions, callgrind).
// Safe here: the module exports one symbol and nothing interposes the libraries' symbols. The
// sanitizers refuse RTLD_DEEPBIND (their interceptors must come first).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int deepBind = 0;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr int deepBind = 0;
#else
constexpr int deepBind = RTLD_DEEPBIND;
#endif
#else
constexpr int deepBind = RTLD_DEEPBIND;
#endif

// The window module, found relative to this binary the same way in the build tree and in the
// installed package (HIVELAB_GUI_MODULE_PATH: ../lib/hivelab/modules/hivelab-gui.so); a copy
// of the binary elsewhere runs every command but opens no window. Loaded once and never
// unloaded: the window's objects live until exit.
// RTLD_LAZY binds the libraries it brings the way a program linked to them is bound at start:
// each by its own flags (Qt's and the module's are bound now, -z now; X11, xcb, fontconfig…
// on first call). RTLD_NOW bound all of them up front (1.7 M instructions of 240 M to the first
// frame, callgrind). The module's own references are still all resolved here (-z now, except
// in sanitized builds), so a missing symbol still fails this dlopen, not a later call.
int runWindow(int argc, char **argv)
{
    // /proc/self/exe, not argv[0]: found through $PATH or a symlink, argv[0] names no folder.
    const QString module = QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath() +
                           QStringLiteral("/" HIVELAB_GUI_MODULE_PATH);
    void *handle = dlopen(QFile::encodeName(module).constData(), RTLD_LAZY | RTLD_LOCAL | deepBind);
    const auto entry =
        handle ? reinterpret_cast<decltype(&hivelab_gui_main)>(dlsym(handle, HIVELAB_GUI_ENTRY))
               : nullptr;
    if (!entry) {
        // No QCoreApplication here: the window's own would have to be the first.
        const char *why = dlerror();
        std::fprintf(stderr,
                     "hivelab: cannot open the window: %s\n"
                     "Commands work without it: hivelab --help\n",
                     why ? why : HIVELAB_GUI_ENTRY " not found");
        return 1;
    }
    return entry(argc, argv);
}

} // namespace

int main(int argc, char **argv)
{
    // Subcommands and --help/--version never need a display.
    const bool isCommand = (argc > 1 && Cli::findCommand(QString::fromLocal8Bit(argv[1]))) ||
                           looksLikeCommand(argc, argv);
    bool version = false;
    if (!isCommand && !wantsHelpOrVersion(argc, argv, &version))
        return runWindow(argc, argv);

    QCoreApplication app(argc, argv);
    Cli::setIdentity();
    if (isCommand) {
        QStringList args = QCoreApplication::arguments();
        args.removeFirst();
        return Cli::run(args);
    }
    if (version) {
        Cli::printOut(QStringLiteral("hivelab %1 (%2)")
                          .arg(QCoreApplication::applicationVersion(), platformLibraryVersions()));
    } else {
        Cli::printOut(topLevelHelp());
    }
    return Cli::ExitOk;
}
