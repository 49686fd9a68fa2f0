// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace Hivelab {

class LabDocument;

/// Inspector dock: edits the selected board with validation. Changes are requested through
/// signals (the window turns them into undo commands); invalid input is flagged and not sent.
class InspectorWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorWidget)
public:
    explicit InspectorWidget(LabDocument *document, QWidget *parent = nullptr);

    void setBoardIds(const QStringList &boardIds);
    QString boardId() const { return m_boardId; }

    /// Field editors, for tests and keyboard focus.
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *ipEdit() const { return m_ip; }
    QLineEdit *macEdit() const { return m_mac; }
    QLineEdit *hostnameEdit() const { return m_hostname; }
    QComboBox *roleCombo() const { return m_role; }
    QComboBox *rackCombo() const { return m_rack; }
    QSpinBox *slotSpin() const { return m_slot; }
    /// Validates all fields and requests the edit; false (nothing requested) when invalid.
    bool commit();

Q_SIGNALS:
    void editRequested(const Hivelab::Board &after);
    void moveRequested(const QString &boardId, const QString &rackId, int slot);

private:
    void reload();
    void onLabChanged();
    bool validate(QLineEdit *edit, bool ok, const QString &message);

    LabDocument *m_document;
    QString m_boardId;
    QStringList m_boardIds;
    bool m_loading = false;

    QStackedWidget *m_stack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_hostname = nullptr;
    QLineEdit *m_model = nullptr;
    QComboBox *m_arch = nullptr;
    QLineEdit *m_os = nullptr;
    QLineEdit *m_mac = nullptr;
    QLineEdit *m_ip = nullptr;
    QComboBox *m_addressing = nullptr;
    QLineEdit *m_sshUser = nullptr;
    QSpinBox *m_sshPort = nullptr;
    QComboBox *m_role = nullptr;
    QComboBox *m_rack = nullptr;
    QSpinBox *m_slot = nullptr;
    QLineEdit *m_notes = nullptr;
};

} // namespace Hivelab
