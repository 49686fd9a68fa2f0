// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QLabel>

namespace Hivelab {

/// A word-wrapped QLabel that lays its text out once per width. GUI thread.
///
/// QLabel::heightForWidth() lays the whole text out again at every call, and a layout asks
/// the same width several times while a window is first laid out (the box layout's height and
/// minimum height for a width, a stacked layout for each of its pages): the answer is kept per
/// width until the text, font, alignment, frame or margins change. The answers are QLabel's
/// own, as a layout sees them: a label of fixed height (setFixedHeight) is that height at every
/// width.
class WrappedLabel : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WrappedLabel)
public:
    explicit WrappedLabel(const QString &text = QString(), QWidget *parent = nullptr);

    int heightForWidth(int width) const override;
    /// How many heights were laid out (not answered from those kept): for tests.
    int heightsLaidOut() const { return m_laidOut; }

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Look
    {
        QString text;
        QFont font;
        Qt::Alignment alignment;
        Qt::TextFormat format = Qt::AutoText;
        QMargins contents;
        int frame = 0;
        int margin = 0;
        int indent = 0;
        bool wordWrap = false;
        bool operator==(const Look &other) const;
    };
    Look look() const;

    mutable Look m_look;
    mutable QHash<int, int> m_heights;
    mutable int m_laidOut = 0;
};

} // namespace Hivelab
