#pragma once
// FP32 / INT8 / INT4 / mixed precision side by side: test accuracy (fake-quant
// and integer-exact, i.e. what the exported model scores), change against FP32,
// model size and BOPS, filled in as each mode completes.

#include <QTableWidget>
#include <nlohmann/json.hpp>

namespace tm2::gui {

class ModeSummaryTable : public QTableWidget {
    Q_OBJECT
public:
    explicit ModeSummaryTable(QWidget* parent = nullptr);
    // `mode` int8 | int4 | mp; `result` is quantizeAndRecord's result JSON (also fills FP32).
    void setResult(const QString& mode, const nlohmann::json& result);
    void clearResults();
    // The accuracy cell's text of a row ("FP32", "INT8", "INT4", "MP"); empty when not filled.
    QString accuracyText(int row) const;
    QString integerAccuracyText(int row) const;  // the integer-exact cell; empty when not filled

    enum Row { Fp32, Int8, Int4, Mixed, Rows };
};

}  // namespace tm2::gui
