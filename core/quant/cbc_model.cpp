#include "core/quant/cbc_model.h"

#include <coin/Cbc_C_Interface.h>

#include <mutex>

#include "core/base/error.h"

namespace tm2::quant {

namespace {

Cbc_Model* cbc(void* p) { return static_cast<Cbc_Model*>(p); }

// Cbc_solve runs CbcMain1, whose command-line machinery lives in globals.
std::mutex& solveMutex() {
    static std::mutex m;
    return m;
}

}  // namespace

CbcModel::CbcModel() : model_(Cbc_newModel()) {
    if (!model_) throw Error("CBC: could not create a model");
    Cbc_setLogLevel(cbc(model_), 0);
    Cbc_setObjSense(cbc(model_), 1.0);  // minimise
}

CbcModel::~CbcModel() {
    if (model_) Cbc_deleteModel(cbc(model_));
}

CbcModel CbcModel::clone() const {
    CbcModel copy(static_cast<void*>(Cbc_clone(cbc(model_))));
    if (!copy.model_) throw Error("CBC: could not clone a model");
    copy.rows_ = rows_;
    return copy;
}

int CbcModel::addBinary(double objective, double lower, double upper) {
    const int index = Cbc_getNumCols(cbc(model_));
    Cbc_addCol(cbc(model_), "", lower, upper, objective, 1, 0, nullptr, nullptr);
    return index;
}

int CbcModel::addContinuous(double objective, double lower, double upper) {
    const int index = Cbc_getNumCols(cbc(model_));
    Cbc_addCol(cbc(model_), "", lower, upper, objective, 0, 0, nullptr, nullptr);
    return index;
}

int CbcModel::addRow(const std::vector<int>& cols, const std::vector<double>& coefs, char sense, double rhs) {
    Cbc_addRow(cbc(model_), "", static_cast<int>(cols.size()), cols.data(), coefs.data(), sense, rhs);
    return rows_++;
}

void CbcModel::setRowUpper(int row, double value) { Cbc_setRowUpper(cbc(model_), row, value); }

void CbcModel::setParameter(const char* name, const char* value) {
    Cbc_setParameter(cbc(model_), name, value);
}

void CbcModel::setCutoff(double cutoff) { Cbc_setCutoff(cbc(model_), cutoff); }

void CbcModel::setTimeLimit(double seconds) { Cbc_setMaximumSeconds(cbc(model_), seconds); }

CbcModel::Status CbcModel::solve() {
    {
        std::lock_guard<std::mutex> lock(solveMutex());
        Cbc_solve(cbc(model_));
    }
    if (Cbc_isProvenOptimal(cbc(model_))) return Status::Optimal;
    if (Cbc_isProvenInfeasible(cbc(model_))) return Status::Infeasible;
    if (Cbc_isSecondsLimitReached(cbc(model_))) return Status::TimeLimit;
    return Status::Other;
}

std::vector<double> CbcModel::solution() const {
    const int n = Cbc_getNumCols(cbc(model_));
    const double* x = Cbc_getColSolution(cbc(model_));
    if (!x) throw Error("CBC: no solution vector after solve");
    return std::vector<double>(x, x + n);
}

int CbcModel::nodeCount() const { return Cbc_getNodeCount(cbc(model_)); }

}  // namespace tm2::quant
