// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

namespace Hivelab {

class LabDocument;

/// Main window over one LabDocument. GUI thread.
class MainWindow : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)
public:
    explicit MainWindow(LabDocument *document, QWidget *parent = nullptr);
    ~MainWindow() override;

    void openDemo();
    bool openFile(const QString &path);

private:
    void updateTitle();

    LabDocument *m_document;
};

} // namespace Hivelab
