// SPDX-License-Identifier: GPL-3.0-or-later
#include "dockerpage.h"

#include "labdocument.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QSet>

#include "dockersetup.h"

namespace Hivelab {

DockerPage::DockerPage(SetupWizard *wizard)
    : RemoteStepPage(wizard, SetupWizard::DockerPageId, tr("&Install Docker"))
{
    setTitle(tr("Install Docker"));
    setSubTitle(tr("Every board needs a running Docker engine before it can join the swarm."));
    m_install = new QCheckBox(tr("Install and start Docker where it is missing (untick to only "
                                 "check)"),
                              this);
    m_install->setObjectName(QStringLiteral("installDocker"));
    m_install->setChecked(true);
    if (auto *box = qobject_cast<QBoxLayout *>(layout()))
        box->insertWidget(1, m_install);
}

QString DockerPage::skipReason(const Board &board) const
{
    if (board.isWindows())
        return tr("Windows board: install Docker on it by hand (see above).");
    return RemoteStepPage::skipReason(board);
}

WorkflowJob *DockerPage::createJob()
{
    auto *job = new DockerSetup(m_wizard->document(), this);
    job->setMode(m_install && !m_install->isChecked() ? DockerSetup::Mode::Probe
                                                      : DockerSetup::Mode::Setup);
    return job;
}

QString DockerPage::instructionsHtml() const
{
    QSet<QString> families;
    for (const Board &b : m_wizard->document()->lab().boards) {
        if (b.isWindows())
            families << QStringLiteral("windows");
        else if (b.os.contains(QLatin1String("DietPi"), Qt::CaseInsensitive))
            families << QStringLiteral("dietpi");
        else
            families << QStringLiteral("debian");
    }
    QString html =
        tr("<p>Press <i>Install Docker</i>: on every signed-in board Hivelab checks for "
           "Docker, installs <code>docker.io</code> with apt where it is missing (Debian, "
           "Raspberry Pi OS, Armbian, Ubuntu), starts the engine and waits until it "
           "answers. Boards already done are skipped when you run it again. Windows "
           "boards and other systems need the manual steps below.</p>");
    if (families.contains(QStringLiteral("dietpi")))
        html += tr("<p><b>DietPi</b> boards:</p><pre>dietpi-software install 162</pre>");
    if (families.contains(QStringLiteral("debian")))
        html += tr("<p><b>Debian, Raspberry Pi OS, Armbian, Ubuntu</b> boards:</p>"
                   "<pre>sudo apt-get update\nsudo apt-get install -y docker.io\n"
                   "sudo systemctl enable --now docker\nsudo usermod -aG docker $USER</pre>");
    if (families.contains(QStringLiteral("windows")))
        html += tr("<p><b>Windows Server</b> boards (elevated PowerShell, then restart):</p>"
                   "<pre>Install-Module -Name DockerMsftProvider -Repository PSGallery -Force\n"
                   "Install-Package -Name docker -ProviderName DockerMsftProvider -Force\n"
                   "Restart-Computer -Force</pre>");
    return html;
}

QString DockerPage::doneText() const
{
    return tr("%1 of %2 boards with Docker running");
}

} // namespace Hivelab
