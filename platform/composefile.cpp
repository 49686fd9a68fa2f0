// SPDX-License-Identifier: GPL-3.0-or-later
#include "composefile.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace Hivelab {

namespace {

QString qstr(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string sstr(const QString &s)
{
    return s.toStdString();
}

QString scalar(const YAML::Node &node)
{
    return node && node.IsScalar() ? qstr(node.Scalar()) : QString();
}

// Aliases expand into copies: nested ones can make a few lines into billions of nodes.
constexpr int MaxNodes = 200000;
// Nesting deeper than any Compose file needs (or an alias inside itself) would exhaust the
// stack of the recursive walks below.
constexpr int MaxDepth = 64;
struct TooDeep
{
};
struct TooLarge
{
};

// A deep copy in which every `<<` merge key is resolved (keys of the map itself win over
// merged ones) and aliases become copies of their own: amending one service can then never
// change another that shared an anchor with it. Throws TooLarge past MaxNodes nodes.
YAML::Node resolved(const YAML::Node &node, int *budget, int depth = 0)
{
    if (--*budget < 0)
        throw TooLarge();
    if (depth > MaxDepth)
        throw TooDeep();
    switch (node.Type()) {
    case YAML::NodeType::Sequence: {
        YAML::Node out(YAML::NodeType::Sequence);
        out.SetTag(node.Tag());
        for (const YAML::Node &item : node)
            out.push_back(resolved(item, budget, depth + 1));
        return out;
    }
    case YAML::NodeType::Map: {
        YAML::Node out(YAML::NodeType::Map);
        out.SetTag(node.Tag());
        std::vector<YAML::Node> merged;
        for (const auto &kv : node) {
            if (kv.first.IsScalar() && kv.first.Scalar() == "<<" && kv.first.Tag() != "!") {
                if (kv.second.IsSequence()) {
                    for (const YAML::Node &m : kv.second)
                        merged.push_back(resolved(m, budget, depth + 1));
                } else {
                    merged.push_back(resolved(kv.second, budget, depth + 1));
                }
                continue;
            }
            out[resolved(kv.first, budget, depth + 1)] = resolved(kv.second, budget, depth + 1);
        }
        // Earlier maps of a merge sequence win over later ones, all lose to the map's own keys.
        for (const YAML::Node &m : merged) {
            if (!m.IsMap())
                continue;
            for (const auto &kv : m) {
                if (!out[kv.first.Scalar()])
                    out[kv.first.Scalar()] = kv.second;
            }
        }
        return out;
    }
    case YAML::NodeType::Scalar: {
        YAML::Node out(node.Scalar());
        out.SetTag(node.Tag());
        return out;
    }
    default:
        return YAML::Node(YAML::NodeType::Null);
    }
}

// An explicit tag as the source wrote it: `!reset` (local), `!!str` (the core schema's, which
// the parser reports in full), `!<uri>` otherwise. A tag that cannot be written back in any
// of these forms (the parser is more lenient than the emitter) is left out rather than
// ending the emitter's output there.
void emitTag(YAML::Emitter &out, const std::string &tag)
{
    static const std::string core = "tag:yaml.org,2002:";
    auto only = [](const std::string &text, const char *extra) {
        return !text.empty() && std::all_of(text.begin(), text.end(), [extra](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (c != '\0' && std::strchr(extra, c) != nullptr);
        });
    };
    static const char tagChars[] = "-#;/?:@&=+$_.~*'()%";
    if (tag.front() == '!') {
        if (only(tag.substr(1), tagChars))
            out << YAML::LocalTag(tag.substr(1));
    } else if (tag.compare(0, core.size(), core) == 0) {
        if (only(tag.substr(core.size()), tagChars))
            out << YAML::SecondaryTag(tag.substr(core.size()));
    } else if (only(tag, "-#;/?:@&=+$,_.!~*'()[]%")) {
        out << YAML::VerbatimTag(tag);
    }
}

void emitNode(YAML::Emitter &out, const YAML::Node &node)
{
    const std::string &tag = node.Tag();
    // "?" plain, "!" quoted in the source; anything else is an explicit tag (e.g. !reset).
    if (!tag.empty() && tag != "?" && tag != "!")
        emitTag(out, tag);
    switch (node.Type()) {
    case YAML::NodeType::Sequence:
        out << YAML::BeginSeq;
        for (const YAML::Node &item : node)
            emitNode(out, item);
        out << YAML::EndSeq;
        break;
    case YAML::NodeType::Map:
        out << YAML::BeginMap;
        for (const auto &kv : node) {
            out << YAML::Key;
            emitNode(out, kv.first);
            out << YAML::Value;
            emitNode(out, kv.second);
        }
        out << YAML::EndMap;
        break;
    case YAML::NodeType::Scalar: {
        const std::string &text = node.Scalar();
        // A control character (a NUL, say) can only be written escaped, in double quotes: a
        // literal block or a plain scalar would carry it raw and not read back.
        const bool control = std::any_of(text.begin(), text.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t';
        });
        if (tag == "!" || control) {
            // Written in quotes: stays a string, whatever it looks like. A literal block (as a
            // `command: |` is written) only for what one reads back unchanged: no control
            // character, no blank to start with (that needs an indentation indicator), one
            // final line break (`|` keeps exactly one).
            const bool literal = !control && text.size() > 1 && text.front() != ' ' &&
                                 text.front() != '\t' && text.front() != '\n' &&
                                 text.back() == '\n' && text[text.size() - 2] != '\n' &&
                                 text.find('\n') != text.size() - 1;
            out << (literal ? YAML::Literal : YAML::DoubleQuoted) << text;
        } else {
            out << text;
        }
        break;
    }
    default:
        out << YAML::Null;
        break;
    }
}

YAML::Node quoted(const QString &text)
{
    YAML::Node n(sstr(text));
    n.SetTag("!");
    return n;
}

} // namespace

struct ComposeFile::Impl
{
    YAML::Node root;

    YAML::Node services() const { return root["services"]; }
    YAML::Node service(const QString &name) const
    {
        YAML::Node s = root["services"];
        return s[sstr(name)];
    }
};

ComposeFile::ComposeFile()
    : d(std::make_unique<Impl>())
{}
ComposeFile::~ComposeFile() = default;
ComposeFile::ComposeFile(ComposeFile &&) noexcept = default;
ComposeFile &ComposeFile::operator=(ComposeFile &&) noexcept = default;

bool ComposeFile::parse(const QByteArray &yaml, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    YAML::Node root;
    try {
        int budget = MaxNodes;
        root = resolved(YAML::Load(yaml.toStdString()), &budget);
    } catch (const TooLarge &) {
        return fail(QStringLiteral("the file expands to more than %1 YAML nodes (nested aliases)")
                        .arg(MaxNodes));
    } catch (const TooDeep &) {
        return fail(QStringLiteral("the file nests deeper than %1 levels (or an alias contains "
                                   "itself)")
                        .arg(MaxDepth));
    } catch (const YAML::Exception &e) {
        return fail(QStringLiteral("line %1, column %2: %3")
                        .arg(e.mark.line + 1)
                        .arg(e.mark.column + 1)
                        .arg(qstr(e.msg)));
    }
    if (!root.IsMap())
        return fail(QStringLiteral("not a Compose file: the top level is not a map"));
    const YAML::Node services = root["services"];
    if (!services || !services.IsMap() || services.size() == 0)
        return fail(QStringLiteral("not a Compose file: no services"));
    for (const auto &kv : services) {
        if (!kv.second.IsMap())
            return fail(QStringLiteral("service %1 is not a map").arg(qstr(kv.first.Scalar())));
        const YAML::Node deploy = kv.second["deploy"];
        if (deploy && !deploy.IsMap() && !deploy.IsNull())
            return fail(
                QStringLiteral("service %1: deploy is not a map").arg(qstr(kv.first.Scalar())));
        const YAML::Node placement = deploy && deploy.IsMap() ? deploy["placement"] : YAML::Node();
        if (placement && !placement.IsMap() && !placement.IsNull())
            return fail(QStringLiteral("service %1: deploy.placement is not a map")
                            .arg(qstr(kv.first.Scalar())));
        if (placement && placement.IsMap()) {
            for (const char *key : {"constraints", "preferences"}) {
                const YAML::Node list = placement[key];
                if (list && !list.IsSequence() && !list.IsNull())
                    return fail(QStringLiteral("service %1: deploy.placement.%2 is not a list")
                                    .arg(qstr(kv.first.Scalar()), QLatin1String(key)));
            }
        }
    }
    d->root = root;
    return true;
}

QString ComposeFile::projectName() const
{
    return d->root.IsMap() ? scalar(d->root["name"]) : QString();
}

QList<ComposeFile::Service> ComposeFile::services() const
{
    QList<Service> list;
    const YAML::Node services = d->services();
    if (!services || !services.IsMap())
        return list;
    for (const auto &kv : services) {
        Service s;
        s.name = qstr(kv.first.Scalar());
        s.image = scalar(kv.second["image"]);
        const YAML::Node deploy = kv.second["deploy"];
        if (deploy && deploy.IsMap()) {
            s.global = scalar(deploy["mode"]) == QLatin1String("global");
            bool ok = false;
            const int replicas = scalar(deploy["replicas"]).toInt(&ok);
            s.replicas = ok ? replicas : -1;
            const YAML::Node placement = deploy["placement"];
            if (placement && placement.IsMap()) {
                const YAML::Node prefs = placement["preferences"];
                s.hasPreferences = prefs && prefs.IsSequence() && prefs.size() > 0;
                const YAML::Node constraints = placement["constraints"];
                if (constraints && constraints.IsSequence()) {
                    for (const YAML::Node &c : constraints)
                        s.constraints << scalar(c);
                }
            }
        }
        list << s;
    }
    return list;
}

QStringList ComposeFile::localFileReferences() const
{
    QStringList refs;
    const YAML::Node services = d->services();
    for (const auto &kv : services) {
        for (const char *key : {"env_file", "build", "extends"}) {
            if (kv.second[key])
                refs << QStringLiteral("service %1: %2")
                            .arg(qstr(kv.first.Scalar()), QLatin1String(key));
        }
    }
    for (const char *section : {"configs", "secrets"}) {
        const YAML::Node list = d->root[section];
        if (!list || !list.IsMap())
            continue;
        for (const auto &kv : list) {
            if (kv.second.IsMap() && kv.second["file"])
                refs << QStringLiteral("%1 %2: file")
                            .arg(QString::fromLatin1(section).chopped(1), qstr(kv.first.Scalar()));
        }
    }
    return refs;
}

bool ComposeFile::addSpreadPreference(const QString &service, const QString &descriptor)
{
    YAML::Node s = d->service(service);
    if (!s || !s.IsMap())
        return false;
    YAML::Node deploy = s["deploy"];
    if (deploy.IsMap()) {
        if (scalar(deploy["mode"]) == QLatin1String("global"))
            return false;
        const YAML::Node placement = deploy["placement"];
        if (placement && placement.IsMap()) {
            const YAML::Node prefs = placement["preferences"];
            if (prefs && prefs.IsSequence() && prefs.size() > 0)
                return false;
        }
    }
    YAML::Node spread(YAML::NodeType::Map);
    spread["spread"] = sstr(descriptor);
    s["deploy"]["placement"]["preferences"].push_back(spread);
    return true;
}

void ComposeFile::addConstraints(const QString &service, const QStringList &constraints)
{
    YAML::Node s = d->service(service);
    if (!s || !s.IsMap() || constraints.isEmpty())
        return;
    YAML::Node list = s["deploy"]["placement"]["constraints"];
    for (const QString &c : constraints)
        list.push_back(quoted(c));
}

QByteArray ComposeFile::toYaml() const
{
    YAML::Emitter out;
    out.SetIndent(2);
    emitNode(out, d->root);
    out << YAML::Newline;
    return QByteArray(out.c_str(), qsizetype(out.size()));
}

} // namespace Hivelab
