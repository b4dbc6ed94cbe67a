#include "widgets/quantize/bit_assignment_table.h"

#include <QHeaderView>

#include "widgets/quantize/bit_colours.h"

namespace tm2::gui {

namespace {

QTableWidgetItem* makeItem(const QString& text, bool right = true) {
    auto* it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (right) it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

QTableWidgetItem* bitsItem(int bits) {
    auto* it = makeItem(bits > 0 ? QString::number(bits) : QString("–"));
    it->setTextAlignment(Qt::AlignCenter);
    if (bits > 0) it->setBackground(bitsColour(bits));
    return it;
}

QString scientific(const nlohmann::json& j, const char* key) {
    return j.contains(key) ? QString::number(j[key].get<double>(), 'e', 2) : QString();
}

}  // namespace

BitAssignmentTable::BitAssignmentTable(QWidget* parent) : QTableWidget(0, Columns, parent) {
    setObjectName("bitAssignmentTable");
    setHorizontalHeaderLabels({tr("Layer"), tr("Branch"), tr("Weights"), tr("MACs"), tr("Tr(H)"), tr("Ω(2)"),
                               tr("Ω(4)"), tr("Ω(8)"), tr("Bits (plan)"), tr("Bits (live)")});
    const std::pair<int, QString> tips[] = {
        {Params,
         tr("Weights of the layer: the numbers quantized to 2, 4 or 8 bits (the Network pane's params add "
            "the int32 biases)")},
        {Macs, tr("Multiply-accumulates of one inference")},
        {Trace,
         tr("Hessian trace of the loss over this layer's weights (Hutchinson's estimate): its sensitivity")},
        {Omega2, tr("Ω(2) = Tr(H)/n · ‖Q₂(W) − W‖²: expected loss increase at 2 bits (empty unless 2-bit "
                    "weights are allowed)")},
        {Omega4, tr("Ω(4) = Tr(H)/n · ‖Q₄(W) − W‖²: expected loss increase at 4 bits (HAWQ-V3)")},
        {Omega8, tr("Ω(8) = Tr(H)/n · ‖Q₈(W) − W‖²: expected loss increase at 8 bits")},
        {RunBits, tr("Bits of the plan shown: the mixed-precision run, an applied plan or the one chosen in "
                     "the plan table")},
        {LiveBits,
         tr("Bits the live ILP chooses for the sliders' budgets (Apply plan re-quantizes with them)")}};
    for (const auto& [column, tip] : tips) horizontalHeaderItem(column)->setToolTip(tip);
    // Every column as wide as its contents: a layer's name is never cut short (the table
    // scrolls sideways on a narrow screen), the last column takes what room is left.
    for (int c = Name; c < Columns; ++c)
        horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    setColumnHidden(Omega2, true);  // until a plan allowed 2-bit weights
    verticalHeader()->hide();
    setAlternatingRowColors(true);
    setToolTip(
        tr("Ω(b) = Tr(H)/n · ‖Q_b(W) − W‖²: the Hessian-weighted perturbation of quantizing the layer to b "
           "bits"));
}

void BitAssignmentTable::setLayers(const nlohmann::json& layers) {
    setRowCount(0);
    setRowCount(static_cast<int>(layers.size()));
    int row = 0;
    bool any_omega2 = false;
    for (const auto& l : layers) {
        setItem(row, Name, makeItem(QString::fromStdString(l.value("name", "")), false));
        setItem(row, Branch, makeItem(QString::fromStdString(l.value("branch", "")), false));
        setItem(row, Params, makeItem(QString::number(l.value("params", 0LL))));
        setItem(row, Macs, makeItem(QString::number(l.value("macs", 0LL))));
        setItem(row, Trace, makeItem(scientific(l, "hessian_trace")));
        const auto omega = l.value("omega", nlohmann::json::object());
        setItem(row, Omega2, makeItem(scientific(omega, "2")));
        any_omega2 = any_omega2 || omega.contains("2");
        setItem(row, Omega4, makeItem(scientific(omega, "4")));
        setItem(row, Omega8, makeItem(scientific(omega, "8")));
        setItem(row, RunBits, bitsItem(l.value("bits", 0)));
        setItem(row, LiveBits, bitsItem(0));
        ++row;
    }
    setColumnHidden(Omega2, !any_omega2);  // an empty Ω(2) column only takes the names' room
}

void BitAssignmentTable::setLiveBits(const std::map<std::string, int>& bits) {
    for (int row = 0; row < rowCount(); ++row) {
        const auto it = bits.find(item(row, Name)->text().toStdString());
        setItem(row, LiveBits, bitsItem(it == bits.end() ? 0 : it->second));
    }
}

void BitAssignmentTable::setRunBits(const std::map<std::string, int>& bits, const QString& plan) {
    if (!plan.isEmpty()) horizontalHeaderItem(RunBits)->setToolTip(tr("Bits of plan %1").arg(plan));
    for (int row = 0; row < rowCount(); ++row) {
        const auto it = bits.find(item(row, Name)->text().toStdString());
        setItem(row, RunBits, bitsItem(it == bits.end() ? 0 : it->second));
    }
}

std::map<std::string, int> BitAssignmentTable::column(int column) const {
    std::map<std::string, int> out;
    for (int row = 0; row < rowCount(); ++row) {
        bool ok = false;
        const int b = item(row, column)->text().toInt(&ok);
        if (ok) out[item(row, Name)->text().toStdString()] = b;
    }
    return out;
}

}  // namespace tm2::gui
