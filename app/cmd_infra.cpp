// SPDX-License-Identifier: GPL-3.0-or-later
// hivelab rack|psu|switch|circuit add|remove|list: the lab's gear by hand, with the defaults and
// the removal rules the main window uses (labedits.h, LabDocument).
#include "boardcatalog.h"
#include "cli.h"
#include "labcheck.h"
#include "labdocument.h"
#include "labedits.h"
#include "labindex.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Hivelab::Cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Cli", text);
}

QString watts(double w)
{
    return QString::number(w, 'f', 1);
}

// What one kind of gear needs: its words, options and rules.
struct Gear
{
    ObjectKind kind;
    const char *command; // "rack"
    const char *what;    // "rack", for messages
};

class InfraCommand
{
public:
    InfraCommand(const Gear &gear, const QStringList &args)
        : m_gear(gear)
        , m_args(args)
    {}

    int run()
    {
        m_parser.setApplicationDescription(description());
        m_parser.addHelpOption();
        m_parser.addOptions({m_name, m_json, m_force, m_rack});
        if (m_gear.kind == ObjectKind::Rack)
            m_parser.addOption(m_slots);
        if (m_gear.kind == ObjectKind::PowerSupply)
            m_parser.addOptions({m_watts, m_circuit});
        if (m_gear.kind == ObjectKind::Switch)
            m_parser.addOptions({m_ports, m_psu});
        m_parser.addPositionalArgument(QStringLiteral("ACTION"), tr("add, remove or list."));
        m_parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
        m_parser.addPositionalArgument(QStringLiteral("NAME"),
                                       tr("For remove: the object's ID or name."));
        if (const auto done = parseOrFinish(m_parser, m_args))
            return *done;
        const QStringList pos = m_parser.positionalArguments();
        const QString action = pos.value(0);
        const bool remove = action == QLatin1String("remove");
        if ((action != QLatin1String("add") && action != QLatin1String("list") && !remove) ||
            pos.size() != (remove ? 3 : 2)) {
            printErr(usage());
            return ExitUsage;
        }
        m_file = pos.at(1);
        const std::optional<Lab> loaded = loadLab(m_file);
        if (!loaded)
            return ExitUsage;
        m_doc.setLab(*loaded);
        if (action == QLatin1String("list"))
            return list();
        const int code = remove ? removeOne(pos.at(2)) : add();
        if (code != ExitOk || !saveLab(m_doc.lab(), m_file))
            return code == ExitOk ? ExitUsage : code;
        printErr(tr("Saved %1. Check the fault domains with: hivelab check %1").arg(m_file));
        return ExitOk;
    }

private:
    QString description() const
    {
        switch (m_gear.kind) {
        case ObjectKind::Rack:
            return tr("Add, remove or list racks. A new rack gets the next free name (Rack N) "
                      "and 4 slots; removing a rack that holds boards needs --force and leaves "
                      "them unplaced, its supplies and switches outside any rack.");
        case ObjectKind::PowerSupply:
            return tr("Add, remove or list power supplies. Removing one that feeds boards or "
                      "switches needs --force and leaves them on no supply.");
        default:
            return tr("Add, remove or list switches. A new switch is powered by its rack's first "
                      "supply. Removing one with boards or downlinks needs --force.");
        }
    }

    QString usage() const
    {
        QString add;
        switch (m_gear.kind) {
        case ObjectKind::Rack:
            add = QStringLiteral("[--name NAME] [--slots N]");
            break;
        case ObjectKind::PowerSupply:
            add = QStringLiteral("[--name NAME] [--watts W] [--rack RACK] [--circuit NAME]");
            break;
        default:
            add = QStringLiteral("[--name NAME] [--ports N] [--rack RACK] [--psu PSU]");
            break;
        }
        return tr("Usage: hivelab %1 add FILE %2 | remove FILE NAME [--force] | list FILE [--json]")
            .arg(QLatin1String(m_gear.command), add);
    }

    const Lab &lab() const { return m_doc.lab(); }

    // A rack named by --rack, or none given; false after printing that it does not exist.
    bool rackOption(QString *rackId) const
    {
        if (!m_parser.isSet(m_rack))
            return true;
        const Rack *r = findByIdOrName(lab().racks, m_parser.value(m_rack));
        if (!r)
            printErr(tr("No rack \"%1\" in %2.").arg(m_parser.value(m_rack), m_file));
        else
            *rackId = r->id;
        return r;
    }

    // --name when given: not empty and not used by another object of the kind.
    template <typename T> bool nameOption(const QList<T> &objects, QString *name) const
    {
        if (!m_parser.isSet(m_name))
            return true;
        const QString value = m_parser.value(m_name).trimmed();
        if (value.isEmpty() || findByIdOrName(objects, value)) {
            printErr(value.isEmpty() ? tr("--name must not be empty.")
                                     : tr("There already is a %1 \"%2\" in %3.")
                                           .arg(QLatin1String(m_gear.what), value, m_file));
            return false;
        }
        *name = value;
        return true;
    }

    int add()
    {
        QString rackId;
        if (!rackOption(&rackId))
            return ExitUsage;
        switch (m_gear.kind) {
        case ObjectKind::Rack: {
            Rack r = newRack(lab());
            if (!nameOption(lab().racks, &r.name))
                return ExitUsage;
            if (m_parser.isSet(m_slots)) {
                const auto n = intOption(m_parser, m_slots, 1, 100);
                if (!n)
                    return ExitUsage;
                r.slotCount = *n;
            }
            m_doc.addRack(r);
            printOut(tr("Added %1 (%2), %3 slots.").arg(r.name, r.id).arg(r.slotCount));
            return ExitOk;
        }
        case ObjectKind::PowerSupply: {
            PowerSupply p = newPowerSupply(lab(), rackId);
            if (!nameOption(lab().powerSupplies, &p.name))
                return ExitUsage;
            if (m_parser.isSet(m_watts)) {
                const auto w = intOption(m_parser, m_watts, 1, 100000);
                if (!w)
                    return ExitUsage;
                p.ratingWatts = *w;
            }
            if (m_parser.isSet(m_circuit))
                p.circuit = m_parser.value(m_circuit).trimmed();
            m_doc.addPowerSupply(p);
            printOut(tr("Added %1 (%2): %3 W, %4, circuit %5.")
                         .arg(p.name, p.id, watts(p.effectiveWatts()), placeText(p.rackId),
                              p.circuit.isEmpty() ? tr("none") : p.circuit));
            return ExitOk;
        }
        default: {
            NetworkSwitch s = newSwitch(lab(), rackId);
            if (!nameOption(lab().switches, &s.name))
                return ExitUsage;
            if (m_parser.isSet(m_ports)) {
                const auto n = intOption(m_parser, m_ports, 1, 1000);
                if (!n)
                    return ExitUsage;
                s.ports = *n;
            }
            if (m_parser.isSet(m_psu)) {
                const PowerSupply *p = findByIdOrName(lab().powerSupplies, m_parser.value(m_psu));
                if (!p) {
                    printErr(
                        tr("No power supply \"%1\" in %2.").arg(m_parser.value(m_psu), m_file));
                    return ExitUsage;
                }
                s.psuId = p->id;
            }
            m_doc.addSwitch(s);
            printOut(tr("Added %1 (%2): %3 ports, %4, powered by %5.")
                         .arg(s.name, s.id)
                         .arg(s.ports)
                         .arg(placeText(s.rackId), s.psuId.isEmpty()
                                                       ? tr("its own adapter")
                                                       : objectDisplayName(lab(), s.psuId)));
            return ExitOk;
        }
        }
    }

    QString placeText(const QString &rackId) const
    {
        return rackId.isEmpty() ? tr("outside any rack")
                                : tr("in %1").arg(objectDisplayName(lab(), rackId));
    }

    int removeOne(const QString &word)
    {
        const LabIndex index(lab());
        QString id;
        QStringList parts; // what the removal leaves behind
        auto count = [&parts](qsizetype n, const char *text) {
            if (n > 0)
                parts << tr(text).arg(n);
        };
        switch (m_gear.kind) {
        case ObjectKind::Rack:
            if (const Rack *r = findByIdOrName(lab().racks, word)) {
                id = r->id;
                count(index.boardsInRack(id).size(), "%1 board(s) become unplaced");
                count(index.suppliesInRack(id).size() + index.switchesInRack(id).size(),
                      "%1 supply/switch(es) stand outside any rack");
            }
            break;
        case ObjectKind::PowerSupply:
            if (const PowerSupply *p = findByIdOrName(lab().powerSupplies, word)) {
                id = p->id;
                count(index.boardsOnSupply(id).size() + index.switchesOnSupply(id).size(),
                      "%1 board(s)/switch(es) lose their supply");
            }
            break;
        default:
            if (const NetworkSwitch *s = findByIdOrName(lab().switches, word)) {
                id = s->id;
                count(index.boardsOnSwitch(id).size(), "%1 board(s) lose their switch");
                count(index.downlinks(id).size(), "%1 switch(es) lose their uplink");
            }
            break;
        }
        if (id.isEmpty()) {
            printErr(tr("No %1 \"%2\" in %3.").arg(QLatin1String(m_gear.what), word, m_file));
            return ExitUsage;
        }
        const QString name = objectDisplayName(index, id);
        const QString consequences = parts.join(QStringLiteral(", "));
        if (!parts.isEmpty() && !m_parser.isSet(m_force)) {
            printErr(tr("Removing %1: %2. Nothing was changed; add --force to remove it anyway.")
                         .arg(name, consequences));
            return ExitUsage;
        }
        if (m_gear.kind == ObjectKind::Rack)
            m_doc.removeRack(id);
        else if (m_gear.kind == ObjectKind::PowerSupply)
            m_doc.removePowerSupply(id);
        else
            m_doc.removeSwitch(id);
        printOut(parts.isEmpty() ? tr("Removed %1.").arg(name)
                                 : tr("Removed %1: %2.").arg(name, consequences));
        return ExitOk;
    }

    int list() const
    {
        const LabIndex index(lab());
        QJsonArray json;
        QStringList lines;
        switch (m_gear.kind) {
        case ObjectKind::Rack:
            for (const Rack &r : lab().racks) {
                const int used = index.boardsInRack(r.id).size();
                json.append(QJsonObject{{QStringLiteral("id"), r.id},
                                        {QStringLiteral("name"), r.name},
                                        {QStringLiteral("slots"), r.slotCount},
                                        {QStringLiteral("boards"), used}});
                lines << tr("%1  %2  %3 of %4 slots used")
                             .arg(r.id.leftJustified(12), r.name.leftJustified(20))
                             .arg(used)
                             .arg(r.slotCount);
            }
            break;
        case ObjectKind::PowerSupply: {
            const BoardCatalog &catalog = BoardCatalog::builtin();
            for (const PowerSupply &p : lab().powerSupplies) {
                const PowerBudget budget = powerBudget(index, catalog, p);
                json.append(QJsonObject{{QStringLiteral("id"), p.id},
                                        {QStringLiteral("name"), p.name},
                                        {QStringLiteral("rack"), p.rackId},
                                        {QStringLiteral("circuit"), p.circuit},
                                        {QStringLiteral("ratingWatts"), budget.ratingWatts},
                                        {QStringLiteral("peakWatts"), budget.peakWatts}});
                lines << tr("%1  %2  %3  circuit %4  %5 W peak of %6 W")
                             .arg(p.id.leftJustified(12), p.name.leftJustified(20),
                                  placeText(p.rackId), p.circuit.isEmpty() ? tr("none") : p.circuit,
                                  watts(budget.peakWatts), watts(budget.ratingWatts));
            }
            break;
        }
        default:
            for (const NetworkSwitch &s : lab().switches) {
                const int used = switchPortsUsed(index, s);
                json.append(QJsonObject{{QStringLiteral("id"), s.id},
                                        {QStringLiteral("name"), s.name},
                                        {QStringLiteral("rack"), s.rackId},
                                        {QStringLiteral("psu"), s.psuId},
                                        {QStringLiteral("ports"), s.ports},
                                        {QStringLiteral("portsUsed"), used}});
                lines << tr("%1  %2  %3  %4 of %5 ports used")
                             .arg(s.id.leftJustified(12), s.name.leftJustified(20),
                                  placeText(s.rackId))
                             .arg(used)
                             .arg(s.ports);
            }
            break;
        }
        if (m_parser.isSet(m_json))
            printOut(
                QString::fromUtf8(QJsonDocument(json).toJson(QJsonDocument::Indented)).trimmed());
        else
            for (const QString &line : std::as_const(lines))
                printOut(line);
        return ExitOk;
    }

    const Gear m_gear;
    const QStringList m_args;
    QString m_file;
    LabDocument m_doc;
    QCommandLineParser m_parser;
    const QCommandLineOption m_name{QStringLiteral("name"), tr("Name (add)."),
                                    QStringLiteral("NAME")};
    const QCommandLineOption m_json{QStringLiteral("json"), tr("List as JSON.")};
    const QCommandLineOption m_force{QStringLiteral("force"),
                                     tr("Remove even when boards or gear depend on it.")};
    const QCommandLineOption m_rack{QStringLiteral("rack"), tr("Rack it sits in (add)."),
                                    QStringLiteral("RACK")};
    const QCommandLineOption m_slots{QStringLiteral("slots"), tr("Slots (add, 1-100, default 4)."),
                                     QStringLiteral("N")};
    const QCommandLineOption m_watts{QStringLiteral("watts"), tr("Rating in watts (add)."),
                                     QStringLiteral("W")};
    const QCommandLineOption m_circuit{
        QStringLiteral("circuit"), tr("Mains circuit feeding it (add; default: the lab's first)."),
        QStringLiteral("NAME")};
    const QCommandLineOption m_ports{QStringLiteral("ports"), tr("Ports (add, default 8)."),
                                     QStringLiteral("N")};
    const QCommandLineOption m_psu{QStringLiteral("psu"),
                                   tr("Supply powering it (add; default: its rack's first)."),
                                   QStringLiteral("PSU")};
};

} // namespace

// Mains circuits are not objects of their own in the lab file: a circuit is the name its power
// supplies carry (PowerSupply::circuit), so a circuit exists while a supply is on it. "add" puts
// supplies on a circuit, "remove" takes every supply off one.
int cmdCircuit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Add, remove or list mains circuits. A circuit is the name its power supplies carry: "
           "add plugs supplies into a circuit (moving them off their old one); remove takes every "
           "supply off a circuit and needs --force when any is on it; list shows each circuit's "
           "supplies and peak load."));
    parser.addHelpOption();
    const QCommandLineOption psu(QStringLiteral("psu"), tr("Supply to put on the circuit (add; repeat for several)."), QStringLiteral("PSU"));
    const QCommandLineOption force(QStringLiteral("force"), tr("Remove even when supplies are on it."));
    const QCommandLineOption json(QStringLiteral("json"), tr("List as JSON."));
    parser.addOptions({psu, force, json});
    parser.addPositionalArgument(QStringLiteral("ACTION"), tr("add, remove or list."));
    parser.addPositionalArgument(QStringLiteral("FILE"), tr("Lab file."));
    parser.addPositionalArgument(QStringLiteral("NAME"), tr("For add and remove: the circuit's name."));
    if (const auto done = parseOrFinish(parser, args))
        return *done;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    const bool list = action == QLatin1String("list");
    if ((!list && action != QLatin1String("add") && action != QLatin1String("remove")) ||
        pos.size() != (list ? 2 : 3)) {
        printErr(tr("Usage: hivelab circuit add FILE NAME --psu PSU [--psu PSU…] | remove FILE "
                    "NAME [--force] | list FILE [--json]"));
        return ExitUsage;
    }
    const QString file = pos.at(1);
    const std::optional<Lab> loaded = loadLab(file);
    if (!loaded)
        return ExitUsage;
    LabDocument doc;
    doc.setLab(*loaded);
    const LabIndex index(doc.lab());
    auto suppliesOn = [&doc](const QString &circuit) {
        QList<PowerSupply> out;
        for (const PowerSupply &p : doc.lab().powerSupplies) {
            if (p.circuit.compare(circuit, Qt::CaseInsensitive) == 0)
                out << p;
        }
        return out;
    };
    if (list) {
        const BoardCatalog &catalog = BoardCatalog::builtin();
        QJsonArray out;
        for (const QString &c : index.circuits()) {
            QStringList names;
            QJsonArray ids;
            double peak = 0;
            for (const PowerSupply &p : doc.lab().powerSupplies) {
                if (p.circuit != c)
                    continue;
                names << p.name;
                ids.append(p.id);
                peak += powerBudget(index, catalog, p).peakWatts;
            }
            if (parser.isSet(json))
                out.append(QJsonObject{{QStringLiteral("name"), c},
                                       {QStringLiteral("powerSupplies"), ids},
                                       {QStringLiteral("peakWatts"), peak}});
            else
                printOut(tr("%1  %2 W peak  %3").arg(c.leftJustified(16), watts(peak), names.join(QStringLiteral(", "))));
        }
        QStringList none;
        for (const PowerSupply &p : doc.lab().powerSupplies) {
            if (p.circuit.isEmpty())
                none << p.name;
        }
        if (parser.isSet(json))
            printOut(QString::fromUtf8(QJsonDocument(out).toJson(QJsonDocument::Indented)).trimmed());
        else if (!none.isEmpty())
            printOut(tr("(no circuit)      %1").arg(none.join(QStringLiteral(", "))));
        return ExitOk;
    }
    const QString name = pos.at(2).trimmed();
    if (name.isEmpty()) {
        printErr(tr("A circuit needs a name."));
        return ExitUsage;
    }
    const QList<PowerSupply> on = suppliesOn(name);
    if (action == QLatin1String("add")) {
        if (!parser.isSet(psu)) {
            printErr(tr("Name the supplies on circuit %1 with --psu (a circuit is the name its "
                        "supplies carry).").arg(name));
            return ExitUsage;
        }
        // An existing circuit keeps its spelling.
        const QString spelled = on.isEmpty() ? name : on.first().circuit;
        QStringList moved;
        for (const QString &word : parser.values(psu)) {
            const PowerSupply *p = findByIdOrName(doc.lab().powerSupplies, word);
            if (!p) {
                printErr(tr("No power supply \"%1\" in %2.").arg(word, file));
                return ExitUsage;
            }
            PowerSupply changed = *p;
            moved << (p->circuit.isEmpty() || p->circuit == spelled
                          ? p->name
                          : tr("%1 (was on %2)").arg(p->name, p->circuit));
            changed.circuit = spelled;
            doc.updatePowerSupply(changed);
        }
        printOut(tr("Circuit %1: %2.").arg(spelled, moved.join(QStringLiteral(", "))));
    } else {
        if (on.isEmpty()) {
            printErr(tr("No circuit \"%1\" in %2.").arg(name, file));
            return ExitUsage;
        }
        QStringList names;
        for (const PowerSupply &p : on)
            names << p.name;
        if (!parser.isSet(force)) {
            printErr(tr("Removing circuit %1: %2 lose their circuit. Nothing was changed; add "
                        "--force to remove it anyway.")
                         .arg(on.first().circuit, names.join(QStringLiteral(", "))));
            return ExitUsage;
        }
        for (PowerSupply p : on) {
            p.circuit.clear();
            doc.updatePowerSupply(p);
        }
        printOut(tr("Removed circuit %1: %2 on no circuit.").arg(on.first().circuit, names.join(QStringLiteral(", "))));
    }
    if (!saveLab(doc.lab(), file))
        return ExitUsage;
    printErr(tr("Saved %1. Check the fault domains with: hivelab check %1").arg(file));
    return ExitOk;
}

int cmdRack(const QStringList &args)
{
    return InfraCommand({ObjectKind::Rack, "rack", QT_TRANSLATE_NOOP("Cli", "rack")}, args).run();
}

int cmdPsu(const QStringList &args)
{
    return InfraCommand({ObjectKind::PowerSupply, "psu", QT_TRANSLATE_NOOP("Cli", "power supply")},
                        args)
        .run();
}

int cmdSwitch(const QStringList &args)
{
    return InfraCommand({ObjectKind::Switch, "switch", QT_TRANSLATE_NOOP("Cli", "switch")}, args)
        .run();
}

} // namespace Hivelab::Cli
