#pragma once
// Per-layer parity of the exported model with the network it came from
// (`eval-runtime`'s layers): the largest difference in steps against the
// float fake-quant model and against the integer-exact evaluation, and how
// many codes differ from the latter — a non-zero row points at the layer
// where runtime and network part ways.

#include <QTableWidget>
#include <nlohmann/json.hpp>

namespace tm2::gui {

class ParityTable : public QTableWidget {
    Q_OBJECT
public:
    explicit ParityTable(QWidget* parent = nullptr);
    // `evaluation`: workflow::evaluateRuntime's result JSON.
    void setEvaluation(const nlohmann::json& evaluation);
    void clearEvaluation();
    // One line for the summary: accuracy, agreement, logits against both references.
    static QString summary(const nlohmann::json& evaluation);
    int mismatchedLayers() const { return mismatched_; }

private:
    int mismatched_ = 0;
};

}  // namespace tm2::gui
