#pragma once
// One row per quantizable layer: size, MACs, Hessian trace, Ω at 4 and 8 bits,
// the bits of the last quantization run and the bits of the live re-solve,
// coloured by width.

#include <QTableWidget>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace tm2::gui {

class BitAssignmentTable : public QTableWidget {
    Q_OBJECT
public:
    explicit BitAssignmentTable(QWidget* parent = nullptr);
    // `layers`: a quantize result's "layers".
    void setLayers(const nlohmann::json& layers);
    // Replaces the "plan" column (an applied plan, a plan chosen in the plan table); `plan` names it.
    void setRunBits(const std::map<std::string, int>& bits, const QString& plan = {});
    // Fills the "live" column; an empty map clears it (infeasible budget).
    void setLiveBits(const std::map<std::string, int>& bits);
    // Bits shown in the live column (layer → bits), as the user sees them.
    std::map<std::string, int> liveColumn() const { return column(LiveBits); }
    // Bits shown in the plan column.
    std::map<std::string, int> runColumn() const { return column(RunBits); }

private:
    std::map<std::string, int> column(int column) const;
    enum Column { Name, Branch, Params, Macs, Trace, Omega2, Omega4, Omega8, RunBits, LiveBits, Columns };
};

}  // namespace tm2::gui
