// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace Hivelab {

/// A Compose file for `docker stack deploy`, read and amended without losing what it says:
/// scalars written in quotes stay quoted ("80:80", "true", "3.8" keep being strings), aliases
/// and merge keys (`<<`) are expanded into plain maps, comments are dropped. Plain object,
/// any one thread.
class ComposeFile
{
public:
    struct Service
    {
        QString name;
        QString image;
        bool global = false; // deploy.mode: global
        int replicas = -1;   // deploy.replicas (-1: not given)
        bool hasPreferences = false;
        QStringList constraints; // deploy.placement.constraints as given
    };

    ComposeFile();
    ~ComposeFile();
    ComposeFile(ComposeFile &&) noexcept;
    ComposeFile &operator=(ComposeFile &&) noexcept;
    ComposeFile(const ComposeFile &) = delete;
    ComposeFile &operator=(const ComposeFile &) = delete;

    /// Parses `yaml`; false with a message naming the line when it is not a Compose file with
    /// at least one service.
    bool parse(const QByteArray &yaml, QString *error);

    /// The top-level `name:` (empty when not given).
    QString projectName() const;
    QList<Service> services() const;
    /// What `docker stack deploy` would read from files next to the Compose file: it runs on
    /// the manager, where those files are not ("service web: env_file", "service web: build",
    /// "config site: file", "secret db: file"). Empty when the file stands alone.
    QStringList localFileReferences() const;

    /// Adds `deploy.placement.preferences: [{spread: DESCRIPTOR}]` to the service unless it has
    /// preferences of its own or runs in global mode. Returns whether it added it.
    bool addSpreadPreference(const QString &service, const QString &descriptor);
    /// Appends `constraints` to the service's `deploy.placement.constraints`.
    void addConstraints(const QString &service, const QStringList &constraints);

    /// The file as YAML again, with the amendments.
    QByteArray toYaml() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace Hivelab
