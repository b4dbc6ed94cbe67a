#pragma once
// A confusion matrix as a small table: rows are the true class, columns the
// predicted one, each cell the count with a background whose intensity is
// the row's share (recall on the diagonal, confusions off it).

#include <QStringList>
#include <QTableWidget>
#include <vector>

namespace tm2::gui {

class ConfusionMatrixView : public QTableWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);
    // `classes` labels rows/columns (numbers when shorter than the matrix).
    void setMatrix(const std::vector<std::vector<long>>& confusion, const QStringList& classes = {});
    long count(int true_class, int predicted_class) const;
};

}  // namespace tm2::gui
