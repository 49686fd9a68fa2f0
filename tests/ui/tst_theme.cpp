// SPDX-License-Identifier: GPL-3.0-or-later
#include "theme.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QStyle>
#include <QStyleFactory>
#include <QtTest>

#include <memory>

using namespace Hivelab;

class TestTheme : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void contrastRatioMatchesWcag();
    void smallTextOnColourReadsInBothThemes_data();
    void smallTextOnColourReadsInBothThemes();
    void stateColoursDifferInLightness_data();
    void stateColoursDifferInLightness();
    void stateLedShapesDiffer();
    void dockTitleIconsMadeOnce();
    void appIconAsQtDrawsIt();
    void iconsDrawnAheadAreTheSame();
};

void TestTheme::contrastRatioMatchesWcag()
{
    QCOMPARE(Theme::contrastRatio(Qt::black, Qt::white), 21.0);
    QCOMPARE(Theme::contrastRatio(Qt::white, Qt::white), 1.0);
    // Reference values from the WCAG 2 formula: #767676 on white is the classic 4.54:1.
    QVERIFY(qAbs(Theme::contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) - 4.54) < 0.01);
    QVERIFY(qAbs(Theme::contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white) - 4.48) < 0.01);
}

void TestTheme::smallTextOnColourReadsInBothThemes_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestTheme::smallTextOnColourReadsInBothThemes()
{
    QFETCH(bool, dark);
    Theme::apply(dark);
    struct Pair
    {
        const char *what;
        QColor text;
        QColor background;
    };
    QList<Pair> pairs;
    for (const char *arch : {"arm64", "aarch64", "amd64", "x86_64", "armhf", "riscv64", ""})
        pairs.append({arch, Theme::pillText(), Theme::archColor(QLatin1String(arch))});
    pairs.append({"storage", Theme::pillText(), Theme::storageColor()});
    pairs.append({"leader", Theme::pillText(), Theme::leaderColor()});
    pairs.append({"drained", Theme::pillText(), Theme::availabilityColor()});
    pairs.append({"M badge", Theme::roleBadgeText(Role::Manager), Theme::roleColor(Role::Manager)});
    pairs.append({"W badge", Theme::roleBadgeText(Role::Worker), Theme::roleColor(Role::Worker)});
    pairs.append({"? badge", Theme::mutedText(), Theme::cardFill()});
    for (Severity s : {Severity::Info, Severity::Warning, Severity::Error})
        pairs.append({"! badge", Theme::severityBadgeText(s), Theme::severityColor(s)});
    pairs.append({"card text", Theme::text(), Theme::cardFill()});
    pairs.append({"card muted text", Theme::mutedText(), Theme::cardFill()});
    for (const Pair &p : pairs) {
        const double ratio = Theme::contrastRatio(p.text, p.background);
        QVERIFY2(ratio >= 4.5,
                 qPrintable(QStringLiteral("%1: %2 on %3 is %4:1")
                                .arg(QLatin1String(p.what), p.text.name(), p.background.name())
                                .arg(ratio, 0, 'f', 2)));
    }
}

void TestTheme::stateColoursDifferInLightness_data()
{
    smallTextOnColourReadsInBothThemes_data();
}

void TestTheme::stateColoursDifferInLightness()
{
    QFETCH(bool, dark);
    Theme::apply(dark);
    // Red-green colour blindness leaves lightness: ready, reachable and offline must differ in it.
    const NodeState states[] = {NodeState::SwarmReady, NodeState::Reachable, NodeState::Offline};
    for (NodeState a : states) {
        for (NodeState b : states) {
            if (a >= b)
                continue;
            const double ratio = Theme::contrastRatio(Theme::stateColor(a), Theme::stateColor(b));
            QVERIFY2(ratio >= 2.0, qPrintable(QStringLiteral("states %1 and %2: %3:1")
                                                  .arg(int(a))
                                                  .arg(int(b))
                                                  .arg(ratio, 0, 'f', 2)));
        }
    }
}

void TestTheme::stateLedShapesDiffer()
{
    // Drawn in one colour, every state (and drained) still leaves a different mark.
    Theme::apply(false);
    QList<QImage> marks;
    auto draw = [&marks](NodeState state, bool drained) {
        QImage image(24, 24, QImage::Format_ARGB32);
        image.fill(Qt::transparent);
        QPainter p(&image);
        Theme::drawStateLed(&p, QPointF(12, 12), 8, state, drained);
        p.end();
        // Alpha only: the shape without its colour.
        QImage alpha = image.convertToFormat(QImage::Format_Alpha8);
        for (const QImage &other : std::as_const(marks))
            QVERIFY2(other != alpha, qPrintable(QStringLiteral("state %1").arg(int(state))));
        marks.append(alpha);
    };
    for (NodeState s : {NodeState::Unknown, NodeState::Offline, NodeState::Reachable,
                        NodeState::DockerReady, NodeState::SwarmReady, NodeState::SwarmDown})
        draw(s, false);
    draw(NodeState::SwarmReady, true);
    QCOMPARE(marks.size(), 7);
}

void TestTheme::dockTitleIconsMadeOnce()
{
    // The docks' close and float buttons: Fusion's own icons, made once per style, not once per
    // title bar measurement.
    std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    for (bool dark : {false, true}) {
        Theme::apply(dark);
        QStyle *style = QApplication::style();
        for (QStyle::StandardPixmap icon :
             {QStyle::SP_TitleBarCloseButton, QStyle::SP_TitleBarNormalButton}) {
            const QIcon first = style->standardIcon(icon);
            QVERIFY(!first.isNull());
            QCOMPARE(style->standardIcon(icon).cacheKey(), first.cacheKey());
            QCOMPARE(first.pixmap(16, 16).toImage(),
                     fusion->standardIcon(icon).pixmap(16, 16).toImage());
        }
        // The tool and menu bars' extension buttons: made when first drawn, as Fusion's.
        for (QStyle::StandardPixmap icon : {QStyle::SP_ToolBarHorizontalExtensionButton,
                                            QStyle::SP_ToolBarVerticalExtensionButton}) {
            const QIcon lazy = style->standardIcon(icon);
            const QIcon own = fusion->standardIcon(icon);
            QVERIFY(!lazy.isNull());
            QCOMPARE(lazy.availableSizes(), own.availableSizes());
            for (int size : {10, 16, 24}) {
                QCOMPARE(lazy.actualSize(QSize(size, size)), own.actualSize(QSize(size, size)));
                QCOMPARE(lazy.pixmap(size, size).toImage(), own.pixmap(size, size).toImage());
                QCOMPARE(lazy.pixmap(QSize(size, size), 2.0).toImage(),
                         own.pixmap(QSize(size, size), 2.0).toImage());
                QCOMPARE(lazy.pixmap(size, size, QIcon::Disabled).toImage(),
                         own.pixmap(size, size, QIcon::Disabled).toImage());
            }
        }
        // Everything else as Fusion has it.
        QCOMPARE(style->pixelMetric(QStyle::PM_DockWidgetTitleMargin),
                 fusion->pixelMetric(QStyle::PM_DockWidgetTitleMargin));
        QCOMPARE(style->standardIcon(QStyle::SP_ArrowUp).pixmap(16, 16).toImage(),
                 fusion->standardIcon(QStyle::SP_ArrowUp).pixmap(16, 16).toImage());
    }
    Theme::apply(false);
}

void TestTheme::appIconAsQtDrawsIt()
{
    // The window's icon, drawn without Qt's SVG icon plugin: the same pixels at the sizes the
    // X11 window gets (no list of sizes: 16, 32, 64, 128) and a few more.
    const QIcon own = Theme::appIcon();
    const QIcon qt(QStringLiteral(":/icons/hivelab.svg"));
    QVERIFY(!own.isNull());
    QCOMPARE(own.availableSizes(), qt.availableSizes());
    for (int size : {16, 20, 32, 48, 64, 128}) {
        QCOMPARE(own.actualSize(QSize(size, size)), qt.actualSize(QSize(size, size)));
        QCOMPARE(own.pixmap(size, size).toImage().convertToFormat(QImage::Format_ARGB32),
                 qt.pixmap(size, size).toImage().convertToFormat(QImage::Format_ARGB32));
    }
    QCOMPARE(own.pixmap(32, 32, QIcon::Disabled).toImage().convertToFormat(QImage::Format_ARGB32),
             qt.pixmap(32, 32, QIcon::Disabled).toImage().convertToFormat(QImage::Format_ARGB32));
}

void TestTheme::iconsDrawnAheadAreTheSame()
{
    for (const bool dark : {false, true}) {
        Theme::apply(dark);
        for (const QIcon::Mode mode : {QIcon::Normal, QIcon::Disabled}) {
            const QImage direct =
                Theme::icon(QStringLiteral("zoom-in")).pixmap(QSize(20, 20), mode).toImage();
            Theme::apply(dark); // a fresh icon: nothing drawn yet
            const int taken = Theme::iconsTakenFromAhead();
            Theme::renderAhead(QStringLiteral("zoom-in"), QSize(20, 20), mode);
            const QImage ahead =
                Theme::icon(QStringLiteral("zoom-in")).pixmap(QSize(20, 20), mode).toImage();
            QCOMPARE(Theme::iconsTakenFromAhead(), taken + 1);
            QCOMPARE(ahead, direct);
            // Another size is drawn when asked, as before.
            QCOMPARE(Theme::icon(QStringLiteral("zoom-in")).pixmap(QSize(32, 32), mode).size(),
                     QSize(32, 32));
            QCOMPARE(Theme::iconsTakenFromAhead(), taken + 1);
        }
    }
    Theme::apply(false);
}

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
