// SPDX-License-Identifier: GPL-3.0-or-later
// The window's start: built into the module hivelab-gui.so, which `hivelab` loads only when it
// opens a window (main.cpp), so that commands never load Qt Widgets, Gui, X11 or fontconfig.
#include "guimain.h"

#include "boardcatalog.h"
#include "cli.h"
#include "demolab.h"
#include "labdocument.h"
#include "labfile.h"
#include "mainwindow.h"
#include "setupwizard.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDBusConnection>
#include <QDateTime>
#include <QGraphicsView>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QScopeGuard>
#include <QScreen>
#include <QSettings>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <QWizard>

#include <fontconfig/fontconfig.h>

#include <functional>
#include <memory>
#include <optional>
#include <thread>

using namespace Hivelab;

namespace {

// Options QApplication takes from argv itself (-platform offscreen, -style Fusion, …): the
// window's parser runs before QApplication exists, so it must let them through.
QStringList withoutQtOptions(const QStringList &args)
{
    static const QStringList withValue = {
        QStringLiteral("platform"),   QStringLiteral("platformpluginpath"),
        QStringLiteral("platformtheme"), QStringLiteral("plugin"),
        QStringLiteral("qwindowgeometry"), QStringLiteral("qwindowicon"),
        QStringLiteral("qwindowtitle"), QStringLiteral("session"),
        QStringLiteral("style"),      QStringLiteral("stylesheet"),
        QStringLiteral("display"),    QStringLiteral("geometry"),
        QStringLiteral("title"),      QStringLiteral("name")};
    static const QStringList flags = {QStringLiteral("reverse"), QStringLiteral("widgetcount"),
                                      QStringLiteral("nograb"), QStringLiteral("dograb"),
                                      QStringLiteral("sync")};
    QStringList out;
    for (qsizetype i = 0; i < args.size(); ++i) {
        QString name = args.at(i);
        if (name == QLatin1String("--")) {
            out.append(args.mid(i));
            break;
        }
        if (i == 0 || !name.startsWith(QLatin1Char('-'))) {
            out.append(name);
            continue;
        }
        name.remove(0, name.startsWith(QLatin1String("--")) ? 2 : 1);
        const QString bare = name.section(QLatin1Char('='), 0, 0);
        if (flags.contains(bare) || bare == QLatin1String("qmljsdebugger"))
            continue;
        if (withValue.contains(bare)) {
            if (!name.contains(QLatin1Char('=')))
                ++i; // its value
            continue;
        }
        out.append(args.at(i));
    }
    return out;
}

Q_LOGGING_CATEGORY(lcStartup, "hivelab.startup", QtWarningMsg)

// Calls `then` on the event loop's turn after `widget`'s first paint: the window's first frame
// is complete (children included) and nothing is guessed with a fixed delay.
class FirstPaint : public QObject
{
public:
    FirstPaint(QWidget *widget, std::function<void()> then)
        : QObject(widget)
        , m_then(std::move(then))
    {
        widget->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, this, [this]() {
                m_then();
                deleteLater();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_then;
};

// The platform plugin QApplication is going to load: -platform NAME, else $QT_QPA_PLATFORM, else
// (empty) the session's own, xcb or wayland.
QByteArray platformName(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if ((arg == "-platform" || arg == "--platform") && i + 1 < argc)
            return QByteArray(argv[i + 1]);
        if (arg.startsWith("-platform=") || arg.startsWith("--platform="))
            return arg.mid(arg.indexOf('=') + 1);
    }
    return qgetenv("QT_QPA_PLATFORM");
}

QStringList argumentList(int argc, char **argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    return args;
}

} // namespace

int hivelab_gui_main(int argc, char **argv)
{
    // The window's options are parsed before QApplication exists, so a typo or a bad value is
    // a usage error even where no display can be opened (QApplication would abort there).
    QCommandLineParser parser;
    const QCommandLineOption demo(QStringLiteral("demo"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QString(),
                                        QStringLiteral("PNG"));
    const QCommandLineOption dark(QStringLiteral("dark"));
    const QCommandLineOption shotDrag(QStringLiteral("screenshot-drag"), QString(),
                                      QStringLiteral("PNG"));
    const QCommandLineOption shotWizard(QStringLiteral("screenshot-wizard"), QString(),
                                        QStringLiteral("PNG"));
    const QCommandLineOption live(QStringLiteral("live"));
    const QCommandLineOption wizardOption(QStringLiteral("wizard"));
    const QCommandLineOption wizardPage(QStringLiteral("wizard-page"), QString(),
                                        QStringLiteral("N"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QString(), QStringLiteral("WxH"));
    parser.addOptions({demo, screenshot, dark, shotDrag, shotWizard, live, wizardOption, wizardPage,
                       sizeOption});
    parser.addPositionalArgument(QStringLiteral("FILE"), QString());
    if (!parser.parse(withoutQtOptions(argumentList(argc, argv)))) {
        Cli::printErr(QCoreApplication::translate("main", "%1\nTry: hivelab --help")
                          .arg(parser.errorText()));
        return Cli::ExitUsage;
    }
    if (parser.positionalArguments().size() > 1 || (parser.isSet(demo) &&
                                                      !parser.positionalArguments().isEmpty())) {
        Cli::printErr(QCoreApplication::translate(
            "main", "Open one lab: a FILE or --demo.\nTry: hivelab --help"));
        return Cli::ExitUsage;
    }
    int startPage = 0;
    if (parser.isSet(wizardPage)) {
        const std::optional<int> page =
            Cli::intOption(parser, wizardPage, 1, int(SetupWizard::SummaryPageId) + 1);
        if (!page)
            return Cli::ExitUsage;
        startPage = *page - 1;
    }

    QSize windowSize;
    if (parser.isSet(sizeOption)) {
        const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
        bool okW = false;
        bool okH = false;
        if (wh.size() == 2)
            windowSize = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
        if (!okW || !okH || windowSize.width() < 640 || windowSize.height() < 480 ||
            windowSize.width() > 7680 || windowSize.height() > 4320) {
            Cli::printErr(QCoreApplication::translate(
                              "main", "--size takes WIDTHxHEIGHT, from 640x480 to 7680x4320, "
                                      "not \"%1\".\nTry: hivelab --help")
                              .arg(parser.value(sizeOption)));
            return Cli::ExitUsage;
        }
    }

    // Qt takes the first thread that uses it (creates a QObject, asks for its QThread) for its
    // main thread. The helper threads below use it at once (the session bus's objects, the
    // catalogue's files): half the window's starts on a display began with "WARNING: QApplication
    // was not created in the main() thread", and one of several hundred hung at exit, in the
    // window's QWindow::close() waiting for a flush of window-system events. Asked here, this
    // thread is Qt's first.
    QThread::currentThread();

    // Two things the window needs before its first frame that need no QApplication: fontconfig's
    // configuration and font caches (read the first time Qt asks for a font: 24 M instructions,
    // an eighth of the way to the first frame under callgrind) and the built-in board catalogue
    // (JSON, parsed strictly: 4.3 M). A second thread reads both while QApplication waits for
    // the display (docs/GUI.md, Start-up). Qt's own FcInit() then finds the configuration
    // loaded; had it asked first, fontconfig would keep one of the two and drop the other.
    std::thread preload([] {
        FcInit();
        BoardCatalog::builtin();
    });
    // On a display, Qt's accessibility bridge connects to the session bus the first time a
    // widget reports a change (the window's constructor names its canvas), and the GUI thread
    // waits for that: a connect and a round trip, or, where no session bus runs (a bare X
    // server, xvfb-run), D-Bus starting one (8 ms under tests/bench/startup.sh). Asked for on a
    // third thread now, the connection is made while QApplication starts; the bridge finds it
    // made. (QtDBus connects from any thread; the window would use the same connection anyway.)
    const QByteArray platform = platformName(argc, argv);
    std::thread sessionBus;
    if (platform.isEmpty() || platform.startsWith("xcb") || platform.startsWith("wayland"))
        sessionBus = std::thread([] { QDBusConnection::sessionBus(); });
    const auto joinSessionBus = qScopeGuard([&sessionBus] {
        if (sessionBus.joinable())
            sessionBus.join();
    });
    QApplication app(argc, argv);
    preload.join();
    Cli::setIdentity();
    QApplication::setApplicationDisplayName(QStringLiteral("Hivelab"));
    QApplication::setDesktopFileName(QStringLiteral("io.hivelab.Hivelab"));

    Theme::apply(parser.isSet(dark) || QSettings().value(QStringLiteral("view/dark")).toBool());
    auto document = std::make_unique<LabDocument>();
    MainWindow window(document.get());
    if (parser.isSet(demo)) {
        window.openDemo();
    } else if (!parser.positionalArguments().isEmpty()) {
        window.openFile(parser.positionalArguments().first());
    }
    if (windowSize.isValid())
        window.resize(windowSize);
    window.show();
    if (parser.isSet(live))
        window.setLiveStatus(true);
    QWidget *shown = &window;
    if (parser.isSet(wizardOption) || parser.isSet(wizardPage)) {
        // The menu's way: the window's credential store, and "use demo lab" asks first.
        SetupWizard *wizard = window.openSetupWizard();
        if (parser.isSet(wizardPage))
            wizard->advanceTo(startPage);
        if (windowSize.isValid())
            wizard->resize(windowSize); // as if maximized on a screen of that size
        shown = wizard;
    }

    auto saveAndQuit = [](QWidget *widget, const QString &path) {
        // The picture shows the window once the work its first frame started is in: a page's
        // drive listing and the toolbar's icons run on the thread pool (waited for, at most
        // 5 s); what they post (new text, then its layout) and the window system's news (the
        // window activated: focus frames) are handled before the grab, timers are not (the
        // canvas's snapshots are not in the picture). Taken earlier, a wizard page came out in
        // one of four pictures, depending on the machine's load.
        QThreadPool::globalInstance()->waitForDone(5000);
        for (int turn = 0; turn < 3; ++turn)
            QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents |
                                            QEventLoop::X11ExcludeTimers);
        const bool ok = widget->grab().save(path);
        Cli::printErr(ok ? QStringLiteral("Screenshot saved to %1").arg(path)
                         : QStringLiteral("Could not save screenshot to %1").arg(path));
        QCoreApplication::exit(ok ? 0 : 1);
    };
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        if (parser.isSet(live)) {
            // After the first live answer (LEDs set; grab() paints the state as it is then),
            // bounded in case no manager answers.
            QObject::connect(
                &window, &MainWindow::liveStatusUpdated, shown,
                [=]() { QTimer::singleShot(0, shown, [=]() { saveAndQuit(shown, path); }); },
                Qt::SingleShotConnection);
            QTimer::singleShot(30000, shown, [=]() { saveAndQuit(shown, path); });
        } else {
            new FirstPaint(shown, [=]() {
                // tests/bench/startup.sh: QT_LOGGING_RULES=hivelab.startup.debug=true
                qCDebug(lcStartup, "first frame painted at %lld ms since the epoch",
                        QDateTime::currentMSecsSinceEpoch());
                saveAndQuit(shown, path);
            });
        }
    }
    // The drag and wizard pictures are taken on the turn after the first paint that shows them,
    // as --screenshot is: each step waits for the paint before it, not for a fixed time.
    if (parser.isSet(shotDrag)) {
        const QString path = parser.value(shotDrag);
        new FirstPaint(&window, [&window, path, saveAndQuit]() {
            // A second manager dragged towards rack 1: the drop indicator shows the target.
            if (!window.startDragPreview(QStringLiteral("pine64-4"), QStringLiteral("rack-1"), 3)) {
                Cli::printErr(QStringLiteral("--screenshot-drag needs the demo lab (--demo)"));
                QCoreApplication::exit(Cli::ExitUsage);
                return;
            }
            const auto *view = window.findChild<QGraphicsView *>();
            Q_ASSERT(view); // the canvas
            new FirstPaint(view->viewport(), [&window, path, saveAndQuit]() {
                saveAndQuit(&window, path);
            });
        });
    }
    if (parser.isSet(shotWizard)) {
        // Opened from the menu's way, as --wizard-page opens it: before the first frame.
        const QString path = parser.value(shotWizard);
        QWizard *wizard = window.openSetupWizard();
        if (windowSize.isValid())
            wizard->resize(windowSize); // as --wizard-page does
        wizard->next(); // discover
        wizard->next(); // flash guidance per board
        new FirstPaint(wizard, [wizard, path, saveAndQuit]() { saveAndQuit(wizard, path); });
    }
    return QApplication::exec();
}
