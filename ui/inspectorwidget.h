// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "labtypes.h"

#include <QWidget>

class QComboBox;
class QCompleter;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace Hivelab {

class LabDocument;
class WrappedLabel;

/// Inspector dock: edits the selected board, or the rack, power supply or switch clicked on the
/// canvas, with validation. Changes are requested through signals (the window turns them into
/// undo commands); invalid input is flagged and not sent.
class InspectorWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorWidget)
public:
    explicit InspectorWidget(LabDocument *document, QWidget *parent = nullptr);

    void setBoardIds(const QStringList &boardIds);
    QString boardId() const { return m_boardId; }
    /// Shows a rack, power supply or switch (an empty ID: nothing).
    void showObject(Hivelab::ObjectKind kind, const QString &id);
    QString objectId() const { return m_infraId; }
    Hivelab::ObjectKind objectKind() const { return m_infraKind; }

    /// Rack, PSU and switch editors, for tests (built on first use, like their page).
    QLineEdit *infraNameEdit() { return objectField(m_infraName); }
    QSpinBox *rackSlotsSpin() { return objectField(m_rackSlots); }
    QDoubleSpinBox *psuWattsSpin() { return objectField(m_psuWatts); }
    QDoubleSpinBox *psuAmpsSpin() { return objectField(m_psuAmps); }
    QSpinBox *switchPortsSpin() { return objectField(m_switchPorts); }
    QLabel *infraErrorLabel() { return objectField(m_infraError); }
    /// Validates the rack/PSU/switch fields and requests the edit; false when invalid.
    bool commitObject();

    /// Field editors, for tests and keyboard focus (built on first use, like their page).
    QLineEdit *nameEdit() { return boardField(m_name); }
    QLineEdit *ipEdit() { return boardField(m_ip); }
    QLineEdit *macEdit() { return boardField(m_mac); }
    QLineEdit *hostnameEdit() { return boardField(m_hostname); }
    /// The board's model: the catalog's models by their display names, or a typed-in ID.
    QComboBox *modelCombo() { return boardField(m_model); }
    QComboBox *roleCombo() { return boardField(m_role); }
    QComboBox *rackCombo() { return boardField(m_rack); }
    QSpinBox *slotSpin() { return boardField(m_slot); }
    QComboBox *psuCombo() { return boardField(m_psu); }
    QComboBox *switchCombo() { return boardField(m_switch); }
    /// The board's switch port; 0 shows as "not known" (-1 in the lab).
    QSpinBox *portSpin() { return boardField(m_port); }
    QLabel *errorLabel() { return boardField(m_error); }
    /// Validates all fields and requests the edit; false (nothing requested) when invalid.
    bool commit();

Q_SIGNALS:
    void editRequested(const Hivelab::Board &after);
    void moveRequested(const QString &boardId, const QString &rackId, int slot);
    void rackEditRequested(const Hivelab::Rack &after);
    void powerSupplyEditRequested(const Hivelab::PowerSupply &after);
    void switchEditRequested(const Hivelab::NetworkSwitch &after);

private:
    void reload();
    void reloadObject();
    /// The board's and the rack/PSU/switch forms, built when first shown: the dock starts with
    /// nothing selected, and two dozen fields cost a twentieth of the window's first frame.
    QWidget *boardPage();
    QWidget *objectPage();
    // The field after its page is built (the reference is read after boardPage() sets it).
    template <typename T> T *boardField(T *const &field)
    {
        boardPage();
        return field;
    }
    template <typename T> T *objectField(T *const &field)
    {
        objectPage();
        return field;
    }
    /// Puts a page built after the rest of the window where the constructor built it in the
    /// Tab order: after the inspector's other fields, before the next dock's.
    void placeInTabOrder(QWidget *page);
    void onLabChanged();
    void onSwitchChosen();
    void setPortRange(const QString &switchId);
    bool validate(QLineEdit *edit, bool ok, const QString &message, QLabel *error = nullptr);

    LabDocument *m_document;
    QString m_boardId;
    QStringList m_boardIds;
    bool m_loading = false;

    QStackedWidget *m_stack = nullptr;
    WrappedLabel *m_placeholder = nullptr;
    QWidget *m_boardPage = nullptr;
    QWidget *m_objectPage = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_hostname = nullptr;
    QComboBox *m_model = nullptr;
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
    QComboBox *m_psu = nullptr;
    QComboBox *m_switch = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_notes = nullptr;

    ObjectKind m_infraKind = ObjectKind::Rack;
    QString m_infraId;
    QFormLayout *m_infraForm = nullptr; // the power supply's
    QStackedWidget *m_infraStack = nullptr;
    bool m_psuInAmps = false;
    QLabel *m_infraTitle = nullptr;
    QLabel *m_infraError = nullptr;
    QLineEdit *m_infraName = nullptr;
    QSpinBox *m_rackSlots = nullptr;
    QDoubleSpinBox *m_psuWatts = nullptr;
    QDoubleSpinBox *m_psuAmps = nullptr;
    QDoubleSpinBox *m_psuVolts = nullptr;
    QLineEdit *m_psuCircuit = nullptr;
    QCompleter *m_circuits = nullptr; // the circuits other supplies hang on
    QSpinBox *m_switchPorts = nullptr;
    QLineEdit *m_switchUplink = nullptr;
};

} // namespace Hivelab
