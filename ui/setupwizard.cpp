// SPDX-License-Identifier: GPL-3.0-or-later
#include "setupwizard.h"

#include "boardcatalog.h"
#include "labcheck.h"
#include "labdocument.h"

#include <QCoreApplication>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace Hivelab {

namespace {
QString notInThisBuild(const QString &what)
{
    return QCoreApplication::translate(
               "SetupWizard",
               "<p><b>Not available in this build.</b> %1 needs the Docker/swarm workflow, "
               "which has not landed yet. Nothing is done here; you can continue and come back "
               "later.</p>")
        .arg(what);
}
} // namespace

SetupWizard::SetupWizard(LabDocument *document, QWidget *parent)
    : QWizard(parent)
    , m_document(document)
{
    setWindowTitle(tr("Hivelab Setup"));
    setWizardStyle(ModernStyle);
    setOption(NoBackButtonOnStartPage);
    setMinimumSize(720, 520);

    QLabel *planBody = nullptr;
    QWizardPage *plan =
        makePage(tr("Plan your lab"), tr("Racks, power supplies and switches: where boards live."),
                 &planBody);
    planBody->setText(tr("Hivelab checks your plan for single points of failure: a rack, PSU or "
                         "switch whose loss would cost the swarm its manager quorum."));
    m_useCurrent = new QRadioButton(tr("Continue with the open lab"), plan);
    m_useDemo = new QRadioButton(tr("Start from the demo lab (4 racks, 10 boards)"), plan);
    m_useCurrent->setChecked(true);
    m_planError = new QLabel(plan);
    m_planError->setStyleSheet(QStringLiteral("color: #d64545;"));
    m_planError->setWordWrap(true);
    plan->layout()->addWidget(m_useCurrent);
    plan->layout()->addWidget(m_useDemo);
    plan->layout()->addWidget(m_planError);
    setPage(PlanPage, plan);

    QLabel *body = nullptr;
    QWizardPage *p =
        makePage(tr("Discover boards"),
                 tr("Find boards on the lab network by MAC vendor and SSH banner."), &body);
    body->setText(tr("<p><b>Not wired into the wizard yet.</b> Discovery works from the "
                     "command line, for example:</p><pre>hivelab discover 10.77.0.0/24</pre>"
                     "<p>(see <code>hivelab discover --help</code>; it only probes the networks "
                     "you give it). You can continue and come back later.</p>"));
    setPage(DiscoverPage, p);

    p = makePage(tr("Flash and preconfigure"), tr("Per-board guidance: image, boot media, login."),
                 &m_flashBody);
    setPage(FlashPage, p);

    p = makePage(tr("Connect and credentials"),
                 tr("Accept host-key fingerprints; passwords go to the system keychain."), &body);
    body->setText(tr("<p><b>Not wired into the wizard yet.</b> SSH connections with host-key "
                     "checks work from the command line (<code>hivelab exec --help</code>); the "
                     "wizard page that accepts fingerprints and stores passwords in the keychain "
                     "is still to come.</p>"));
    setPage(ConnectPage, p);

    p = makePage(tr("Install Docker"), tr("Per-board progress; cancel and resume at any time."),
                 &body);
    body->setText(notInThisBuild(tr("Installing Docker")));
    setPage(DockerPage, p);

    p = makePage(tr("Choose managers"), tr("Suggested by the fault-domain check, with the reason."),
                 &m_managersBody);
    setPage(ManagersPage, p);

    p = makePage(tr("Form the swarm"), tr("Init on the first manager, join the others."), &body);
    body->setText(notInThisBuild(tr("Forming the swarm")));
    setPage(SwarmPage, p);

    p = makePage(tr("Summary"), tr("What was done, what was not, and how to use the swarm."),
                 &m_summaryBody);
    setPage(SummaryPage, p);
}

QWizardPage *SetupWizard::makePage(const QString &title, const QString &subtitle, QLabel **body)
{
    auto *page = new QWizardPage(this);
    page->setTitle(title);
    page->setSubTitle(subtitle);
    auto *layout = new QVBoxLayout(page);
    *body = new QLabel(page);
    (*body)->setWordWrap(true);
    (*body)->setTextFormat(Qt::RichText);
    (*body)->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(*body);
    layout->addStretch(1);
    return page;
}

bool SetupWizard::validateCurrentPage()
{
    if (currentId() == PlanPage) {
        if (m_useDemo->isChecked()) {
            Q_EMIT demoRequested();
        } else if (m_document->lab().racks.isEmpty()) {
            m_planError->setText(tr("The open lab has no racks yet. Start from the demo lab, or "
                                    "add racks first."));
            return false;
        }
        m_planError->clear();
    }
    return QWizard::validateCurrentPage();
}

void SetupWizard::initializePage(int id)
{
    switch (id) {
    case FlashPage:
        m_flashBody->setText(flashGuidance());
        break;
    case ManagersPage:
        m_managersBody->setText(managersText());
        break;
    case SummaryPage:
        m_summaryBody->setText(summaryText());
        break;
    default:
        break;
    }
    QWizard::initializePage(id);
}

QString SetupWizard::flashGuidance() const
{
    const BoardCatalog &catalog = BoardCatalog::builtin();
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='3'>");
    html += tr("<tr><th align='left'>Board</th><th align='left'>Model</th>"
               "<th align='left'>Boot media</th><th align='left'>Recommended image</th></tr>");
    int unknown = 0;
    for (const Board &b : m_document->lab().boards) {
        const BoardModelInfo *info = catalog.model(b.model);
        unknown += info ? 0 : 1;
        QString image = b.os;
        if (info && !info->images.isEmpty()) {
            const OsImage &os = info->images.first();
            image = os.defaultUser.isEmpty()
                        ? os.name
                        : tr("%1 — first login: %2").arg(os.name, os.defaultUser);
        }
        html +=
            QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td></tr>")
                .arg(
                    b.name.toHtmlEscaped(),
                    (info ? info->vendor + QLatin1Char(' ') + info->name : b.model).toHtmlEscaped(),
                    info ? info->bootMedia.join(QStringLiteral(", ")).toHtmlEscaped()
                         : tr("unknown"),
                    image.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    if (unknown > 0)
        html += tr("<p>%1 of these boards use a model the board catalog does not know; boot "
                   "media and default logins are shown once the catalog has them.</p>")
                    .arg(unknown);
    return html;
}

QString SetupWizard::managersText() const
{
    const CheckReport report = checkLab(m_document->lab(), BoardCatalog::builtin());
    QStringList current;
    for (const Board *b : m_document->lab().managers())
        current.append(b->name.toHtmlEscaped());
    QString html = tr("<p>Current managers: <b>%1</b> (quorum needs %2).</p>")
                       .arg(current.isEmpty() ? tr("none") : current.join(QStringLiteral(", ")))
                       .arg(report.quorum);
    if (!report.suggestedManagers.isEmpty()) {
        QStringList names;
        for (const QString &id : report.suggestedManagers) {
            const Board *b = m_document->lab().board(id);
            names.append((b ? b->name : id).toHtmlEscaped());
        }
        html += tr("<p>Suggested: <b>%1</b><br>%2</p>")
                    .arg(names.join(QStringLiteral(", ")), report.suggestionReason.toHtmlEscaped());
    } else {
        html += tr("<p>The fault-domain check made no placement suggestion for this lab. Change "
                   "roles on the canvas (right-click a board) and watch the Check Results "
                   "dock.</p>");
    }
    for (const Finding &f : report.findings) {
        if (f.severity != Severity::Info)
            html += QStringLiteral("<p>⚠ %1</p>").arg(f.message.toHtmlEscaped());
    }
    return html;
}

QString SetupWizard::summaryText() const
{
    const CheckReport report = checkLab(m_document->lab(), BoardCatalog::builtin());
    QString html = tr("<p><b>Done:</b> the plan of \"%1\" with %2 boards was checked: "
                      "%3 managers, %4 errors, %5 warnings.</p>")
                       .arg(m_document->lab().name.toHtmlEscaped())
                       .arg(m_document->lab().boards.size())
                       .arg(report.managerCount)
                       .arg(report.count(Severity::Error))
                       .arg(report.count(Severity::Warning));
    html += tr("<p><b>Not done:</b> discovery and SSH are not wired into the wizard yet (they "
               "work from the command line); Docker installation and swarm formation need the "
               "Docker/swarm workflow, which this build does not have.</p>");
    const QList<const Board *> managers = m_document->lab().managers();
    const QString host = managers.isEmpty() ? QStringLiteral("MANAGER")
                                            : managers.first()->sshTarget().toHtmlEscaped();
    const QString user = managers.isEmpty() || managers.first()->sshUser.isEmpty()
                             ? QStringLiteral("root")
                             : managers.first()->sshUser.toHtmlEscaped();
    html += tr("<p>Once the swarm runs, use it from this computer:</p>"
               "<pre>docker context create hivelab --docker host=ssh://%1@%2\n"
               "docker context use hivelab\n"
               "docker node ls</pre>"
               "<p>or for one command: <code>DOCKER_HOST=ssh://%1@%2 docker node ls</code></p>")
                .arg(user, host);
    return html;
}

} // namespace Hivelab
