#pragma once
// "What these figures mean": a pane's short explanation of its terms, folded
// away under a toggle at the top of the pane, so a newcomer can read Tr(H),
// Ω, BOPS or "steps" in place and an expert never sees it unless asked.

#include <QWidget>

class QLabel;
class QToolButton;

namespace tm2::gui {

class HelpPanel : public QWidget {
    Q_OBJECT
public:
    // `html`: the explanation (rich text; a definition list reads well).
    explicit HelpPanel(const QString& html, QWidget* parent = nullptr);
    QString text() const;
    bool isOpen() const;
    void setOpen(bool open);

private:
    QToolButton* toggle_;
    QLabel* text_;
};

}  // namespace tm2::gui
