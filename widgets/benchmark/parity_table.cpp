#include "widgets/benchmark/parity_table.h"

#include <QBrush>
#include <QColor>
#include <QHeaderView>

#include "widgets/common/table_cell.h"

namespace tm2::gui {

namespace {

enum Column { Layer, FakeQuantMax, FakeQuantMean, IntegerMax, IntegerCodes, Columns };

QTableWidgetItem* cell(const QString& text, bool number = true) {
    return readOnlyCell(text, (number ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
}

QString steps(double value) { return QString::number(value, 'f', value < 10 ? 2 : 1); }
QString percent(double fraction) { return QString::number(100.0 * fraction, 'f', 2) + " %"; }

}  // namespace

ParityTable::ParityTable(QWidget* parent) : QTableWidget(0, Columns, parent) {
    setObjectName("parityTable");
    setHorizontalHeaderLabels({tr("Layer"), tr("vs fake-quant: max steps"), tr("mean steps"),
                               tr("vs integer-exact: max steps"), tr("codes differing")});
    horizontalHeaderItem(IntegerMax)
        ->setToolTip(tr("Against the network evaluated as the integer runtime computes it (dyadic "
                        "requantization): 0 everywhere when the runtime is exact"));
    horizontalHeaderItem(FakeQuantMax)
        ->setToolTip(tr("Against the float fake-quant model: near-ties round differently, so a code "
                        "or two may differ and grow downstream"));
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(Layer, QHeaderView::Stretch);
    verticalHeader()->hide();
}

void ParityTable::clearEvaluation() {
    setRowCount(0);
    mismatched_ = 0;
}

void ParityTable::setEvaluation(const nlohmann::json& e) {
    clearEvaluation();
    const auto& layers = e.value("layers", nlohmann::json::array());
    setRowCount(static_cast<int>(layers.size()));
    int row = 0;
    for (const auto& l : layers) {
        const double step = l.value("step", 0.0);
        const auto codes = l.value("integer_mismatched_codes", std::int64_t{0});
        setItem(row, Layer, cell(QString::fromStdString(l.value("name", "")), false));
        setItem(row, FakeQuantMax, cell(steps(l.value("max_steps", 0.0))));
        setItem(row, FakeQuantMean, cell(steps(step > 0 ? l.value("mean_abs", 0.0) / step : 0.0)));
        setItem(row, IntegerMax, cell(steps(l.value("integer_max_steps", 0.0))));
        setItem(row, IntegerCodes, cell(QString::number(codes)));
        if (codes > 0) {
            ++mismatched_;
            for (int c = 0; c < Columns; ++c) item(row, c)->setBackground(QBrush(QColor("#f8d7da")));
        }
        ++row;
    }
}

QString ParityTable::summary(const nlohmann::json& e) {
    const auto& exact = e.value("integer_reference", nlohmann::json::object());
    const auto& fq = e.value("fake_quant", nlohmann::json::object());
    const double exact_steps = exact.value("max_logit_diff_steps", 0.0);
    return tr("<b>Runtime</b> accuracy %1 on %2 test samples · <b>vs integer-exact network</b>: %3 · "
              "<b>vs fake-quant</b>: agreement %4, max logit difference %5 steps (%6 samples within one)")
        .arg(percent(e.value("accuracy", 0.0)))
        .arg(e.value("samples", 0))
        .arg(exact.value("max_logit_diff", 1.0) == 0.0
                 ? tr("identical logits")
                 : tr("max logit difference %1 steps, agreement %2")
                       .arg(steps(exact_steps), percent(exact.value("agreement", 0.0))))
        .arg(percent(fq.value("agreement", 0.0)))
        .arg(steps(fq.value("max_logit_diff_steps", 0.0)))
        .arg(fq.value("logits_within_one_step", 0));
}

}  // namespace tm2::gui
