#pragma once
// RAII over COIN-OR CBC's C API (Cbc_Model*), so a thrown error never leaks a
// model. The C header stays in the .cpp: it drags in COIN's macros.

#include <vector>

namespace tm2::quant {

class CbcModel {
public:
    enum class Status { Optimal, Infeasible, TimeLimit, Other };

    CbcModel();
    ~CbcModel();
    CbcModel(const CbcModel&) = delete;
    CbcModel& operator=(const CbcModel&) = delete;
    CbcModel(CbcModel&& other) noexcept : model_(other.model_), rows_(other.rows_) { other.model_ = nullptr; }
    CbcModel& operator=(CbcModel&&) = delete;

    // Deep copy of an unsolved model: CBC documents models as unusable for
    // edits after Cbc_solve, so a sweep solves clones of one built model.
    CbcModel clone() const;

    int addBinary(double objective, double lower = 0.0, double upper = 1.0);  // returns the column index
    int addContinuous(double objective, double lower, double upper);         // returns the column index
    // sense: 'L' (≤), 'G' (≥) or 'E' (=)
    int addRow(const std::vector<int>& cols, const std::vector<double>& coefs, char sense, double rhs);
    void setRowUpper(int row, double value);
    void setParameter(const char* name, const char* value);
    void setCutoff(double cutoff);  // prune anything not better than this (a known incumbent)
    void setTimeLimit(double seconds);  // solve() then stops with Status::TimeLimit

    // Serialised: CBC's solver entry (CbcMain1) keeps global state.
    Status solve();
    std::vector<double> solution() const;  // column values, valid after an Optimal solve
    int nodeCount() const;

private:
    explicit CbcModel(void* model) : model_(model) {}

    void* model_;  // Cbc_Model*
    int rows_ = 0;
};

}  // namespace tm2::quant
