// SPDX-License-Identifier: GPL-3.0-or-later
#include "flashpage.h"

#include "boardcatalog.h"
#include "cardwriterwidget.h"
#include "labdocument.h"
#include "setupwizard.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace Hivelab {

namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString gatewayGuess(const QString &ip)
{
    QHostAddress a;
    if (!a.setAddress(ip) || a.protocol() != QAbstractSocket::IPv4Protocol)
        return QStringLiteral("192.168.1.1");
    return QHostAddress((a.toIPv4Address() & 0xFFFFFF00u) | 1u).toString();
}

// An http(s) address as a link the browser opens; anything else as plain text.
QString link(const QString &url)
{
    if (!url.startsWith(QLatin1String("https://")) && !url.startsWith(QLatin1String("http://")))
        return esc(url);
    return QStringLiteral("<a href=\"%1\">%1</a>").arg(esc(url));
}

QString pre(const QString &text)
{
    return QStringLiteral("<pre>%1</pre>").arg(esc(text));
}

} // namespace

FlashPage::FlashPage(SetupWizard *wizard)
    : QWizardPage(wizard)
    , m_wizard(wizard)
{
    setTitle(tr("Flash and preconfigure"));
    setSubTitle(tr("Write each board's card: the OS image, then its name, fixed address, user "
                   "and your SSH key for the first boot. Boards that install from an ISO or "
                   "need a screen (Windows, x86 installers) follow the guidance below."));

    auto *layout = new QVBoxLayout(this);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    m_writer = new CardWriterWidget(
        wizard->document(), [wizard](QUndoCommand *command) { wizard->pushEdit(command); },
        vertical);
    m_writer->setObjectName(QStringLiteral("cardWriter"));
    // The sidebar reads outcome() again when a run ends.
    connect(m_writer, &CardWriterWidget::finished, this, &QWizardPage::completeChanged);
    auto *guidance = new QWidget(vertical);
    auto *guidanceLayout = new QVBoxLayout(guidance);
    guidanceLayout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(guidance);
    m_list = new QListWidget(splitter);
    m_list->setObjectName(QStringLiteral("flashBoards"));
    m_list->setAccessibleName(tr("Boards"));
    m_list->setMaximumWidth(220);
    m_text = new QTextBrowser(splitter);
    m_text->setObjectName(QStringLiteral("flashGuidance"));
    m_text->setAccessibleName(tr("Guidance for the board"));
    // Download links open in the browser; the text stays selectable.
    m_text->setOpenLinks(true);
    m_text->setOpenExternalLinks(true);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    splitter->addWidget(m_list);
    splitter->addWidget(m_text);
    splitter->setStretchFactor(1, 1);
    guidanceLayout->addWidget(splitter, 1);

    auto *row = new QHBoxLayout;
    auto *note = new QLabel(tr("By hand, or for images Hivelab cannot preconfigure:"), guidance);
    note->setWordWrap(true);
    row->addWidget(note, 1);
    auto *copy = new QPushButton(tr("&Copy instructions"), guidance);
    copy->setObjectName(QStringLiteral("copyGuidance"));
    row->addWidget(copy);
    guidanceLayout->addLayout(row);
    vertical->addWidget(m_writer);
    vertical->addWidget(guidance);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    layout->addWidget(vertical, 1);

    connect(m_list, &QListWidget::currentRowChanged, this, &FlashPage::showBoard);
    connect(copy, &QPushButton::clicked, this,
            [this]() { QApplication::clipboard()->setText(m_text->toPlainText()); });
}

void FlashPage::initializePage()
{
    m_writer->reload();
    const QString keep =
        m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).toString() : QString();
    m_list->clear();
    for (const Board &b : m_wizard->document()->lab().boards) {
        auto *item = new QListWidgetItem(b.name, m_list);
        item->setData(Qt::UserRole, b.id);
        item->setToolTip(b.os);
        if (b.id == keep)
            m_list->setCurrentItem(item);
    }
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
    showBoard();
}

bool FlashPage::validatePage()
{
    return !m_writer->isRunning();
}

void FlashPage::showBoard()
{
    const QListWidgetItem *item = m_list->currentItem();
    const Board *b =
        item ? m_wizard->document()->lab().board(item->data(Qt::UserRole).toString()) : nullptr;
    m_text->setHtml(b ? guidanceHtml(*b) : tr("<p>No boards in the lab yet.</p>"));
}

QString FlashPage::guidanceHtml(const Board &b)
{
    const BoardModelInfo *info = BoardCatalog::builtin().model(b.model);
    const OsImage *img = BoardCatalog::builtin().image(b.model, b.os);
    if (!img && info && !info->images.isEmpty())
        img = &info->images.first(); // nothing chosen yet: guide through the recommended one
    const QString host = b.hostname.isEmpty() ? b.name : b.hostname;
    const QString ip = b.ip.isEmpty() ? QStringLiteral("192.168.1.50") : b.ip;
    const QString os = (img ? img->name : b.os);
    QString html;
    html += QStringLiteral("<h3>%1</h3>").arg(esc(b.name));
    html += QStringLiteral("<table cellspacing=4>");
    const auto row = [&html](const QString &k, const QString &v) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(k), v);
    };
    row(tr("Model"), esc(BoardCatalog::builtin().displayName(b.model)));
    row(tr("Recommended image"), img ? esc(img->name) : esc(b.os));
    if (img && !img->url.isEmpty())
        row(tr("Download from"), link(img->url));
    if (info && !info->bootMedia.isEmpty())
        row(tr("Boot media"), esc(info->bootMedia.join(QStringLiteral(", "))));
    if (img) {
        const QString login =
            img->defaultUser.isEmpty()
                ? tr("set while writing the image (there is no default user)")
                : tr("%1 / %2 (change it at the first login)")
                      .arg(img->defaultUser, img->defaultPassword.isEmpty() ? tr("no password")
                                                                            : img->defaultPassword);
        row(tr("Default login"), esc(login));
        if (!img->sshServer.isEmpty())
            row(tr("SSH server"), esc(img->sshServer));
    }
    row(tr("Set"), esc(tr("hostname %1, static IP %2, SSH enabled").arg(host, ip)));
    html += QStringLiteral("</table>");
    if (img && !img->notes.isEmpty())
        html += QStringLiteral("<p><i>%1</i></p>").arg(esc(img->notes));

    if (b.isWindows()) {
        html += tr("<h4>Install</h4><p>Install Windows Server from its installation medium, then "
                   "enable the OpenSSH server in an elevated PowerShell:</p>");
        html +=
            pre(QStringLiteral("Add-WindowsCapability -Online -Name OpenSSH.Server~~~~0.0.1.0\n"
                               "Start-Service sshd\nSet-Service -Name sshd -StartupType Automatic\n"
                               "Rename-Computer -NewName %1 -Restart")
                    .arg(host));
        html += tr("<p>Windows Server 2016 has no built-in OpenSSH: install Win32-OpenSSH from "
                   "%1 first.</p>")
                    .arg(link(QStringLiteral("https://github.com/PowerShell/Win32-OpenSSH")));
        return html;
    }

    html += tr("<h4>1. Write the image</h4>"
               "<p>Hivelab does not write SD cards yet. Use Raspberry Pi Imager, or on Linux find "
               "the card with <code>lsblk</code> and write it (this erases /dev/sdX):</p>");
    html += pre(QStringLiteral("sudo bmaptool copy --nobmap IMAGE.img.xz /dev/sdX\n"
                               "# or\n"
                               "xzcat IMAGE.img.xz | \\\n"
                               "  sudo dd of=/dev/sdX bs=4M conv=fsync status=progress"));

    html += tr("<h4>2. Preconfigure before the first boot</h4>");
    if (os.contains(QLatin1String("DietPi"), Qt::CaseInsensitive)) {
        html += tr("<p>Edit <code>dietpi.txt</code> (on the FAT boot partition for Raspberry Pi, "
                   "in <code>/boot</code> of the root partition for other boards) and set:</p>");
        html += pre(QStringLiteral("AUTO_SETUP_AUTOMATED=1\n"
                                   "AUTO_SETUP_NET_HOSTNAME=%1\n"
                                   "AUTO_SETUP_NET_USESTATIC=1\n"
                                   "AUTO_SETUP_NET_STATIC_IP=%2\n"
                                   "AUTO_SETUP_NET_STATIC_MASK=255.255.255.0\n"
                                   "AUTO_SETUP_NET_STATIC_GATEWAY=%3\n"
                                   "AUTO_SETUP_NET_STATIC_DNS=%3\n"
                                   "AUTO_SETUP_SSH_SERVER_INDEX=-2\n"
                                   "AUTO_SETUP_GLOBAL_PASSWORD=choose-a-password")
                        .arg(host, ip, gatewayGuess(ip)));
        html += tr("<p>SSH_SERVER_INDEX -2 picks OpenSSH (-1 keeps Dropbear). The gateway shown is "
                   "a guess: use your router's address.</p>");
    } else if (os.contains(QLatin1String("Raspberry Pi OS"), Qt::CaseInsensitive)) {
        html += tr("<p>Easiest: Raspberry Pi Imager's OS customisation (hostname, user, SSH). By "
                   "hand, on the FAT boot partition:</p>");
        html += pre(QStringLiteral("touch ssh\n"
                                   "echo \"pi:$(openssl passwd -6)\" > userconf.txt"));
        html += tr("<p>Then give %1 a fixed address: a DHCP reservation on your router for its "
                   "MAC, or after the first boot:</p>")
                    .arg(esc(ip));
        html += pre(QStringLiteral("sudo hostnamectl set-hostname %1\n"
                                   "sudo nmcli con mod \"Wired connection 1\" ipv4.method manual "
                                   "ipv4.addresses %2/24 ipv4.gateway %3 ipv4.dns %3")
                        .arg(host, ip, gatewayGuess(ip)));
    } else {
        html += tr("<p>Boot the board with a screen or serial console, log in with the default "
                   "login, then set the name and a fixed address (or reserve %1 for its MAC on "
                   "your router):</p>")
                    .arg(esc(ip));
        html += pre(QStringLiteral("sudo hostnamectl set-hostname %1\n"
                                   "sudo apt-get install -y openssh-server\n"
                                   "ip -4 addr   # check the address")
                        .arg(host));
    }
    html += tr("<h4>3. Check</h4><p>From your laptop:</p>");
    Board planned = b;
    planned.os = os;
    html += pre(QStringLiteral("ssh %1@%2")
                    .arg(b.sshUser.isEmpty() ? BoardCatalog::builtin().defaultLoginUser(planned)
                                             : b.sshUser,
                         ip));
    return html;
}

StepOutcome FlashPage::outcome() const
{
    // Ticked only for cards actually written; guidance alone ticks nothing.
    const int tried = m_writer->cardsTried();
    const int written = m_writer->cardsWritten();
    if (tried == 0)
        return {StepOutcome::State::NotRun, tr("no card written")};
    const QString detail = tr("%1 of %2 cards written").arg(written).arg(tried);
    if (written == tried)
        return {StepOutcome::State::Done, detail};
    return {written > 0 ? StepOutcome::State::Partial : StepOutcome::State::Failed, detail};
}

} // namespace Hivelab
