#include "core/runtime/frontend/json_value.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/base/error.h"

namespace tm2::runtime {

namespace {
const char* kindName(JsonValue::Kind k) {
    switch (k) {
        case JsonValue::Kind::Null:
            return "null";
        case JsonValue::Kind::Bool:
            return "a boolean";
        case JsonValue::Kind::Number:
            return "a number";
        case JsonValue::Kind::String:
            return "a string";
        case JsonValue::Kind::Array:
            return "an array";
        case JsonValue::Kind::Object:
            return "an object";
    }
    return "?";
}
// Deep enough for any settings file; bounds the recursion on hostile input.
constexpr int kMaxDepth = 64;
}  // namespace

class JsonParser {
public:
    JsonParser(const std::string& text, const std::string& origin) : s_(text), origin_(origin) {}

    JsonValue document() {
        JsonValue v = value(0);
        skipSpace();
        if (pos_ != s_.size()) fail("unexpected text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(origin_ + ": invalid JSON at byte " + std::to_string(pos_) + ": " + what);
    }
    void skipSpace() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
            ++pos_;
    }
    bool consume(char c) {
        skipSpace();
        if (pos_ < s_.size() && s_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!consume(c)) fail(std::string("expected '") + c + "'");
    }
    bool literal(const char* word) {
        std::size_t n = 0;
        while (word[n] != '\0') ++n;
        if (s_.compare(pos_, n, word) != 0) return false;
        pos_ += n;
        return true;
    }

    JsonValue value(int depth) {
        if (depth > kMaxDepth) fail("nested too deeply");
        skipSpace();
        if (pos_ >= s_.size()) fail("unexpected end of text");
        JsonValue v;
        const char c = s_[pos_];
        if (c == '{') {
            ++pos_;
            v.kind_ = JsonValue::Kind::Object;
            if (consume('}')) return v;
            do {
                skipSpace();
                if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a member name");
                std::string key = stringBody();
                expect(':');
                v.members_[key] = value(depth + 1);
            } while (consume(','));
            expect('}');
        } else if (c == '[') {
            ++pos_;
            v.kind_ = JsonValue::Kind::Array;
            if (consume(']')) return v;
            do v.items_.push_back(value(depth + 1));
            while (consume(','));
            expect(']');
        } else if (c == '"') {
            v.kind_ = JsonValue::Kind::String;
            v.string_ = stringBody();
        } else if (literal("true")) {
            v.kind_ = JsonValue::Kind::Bool;
            v.bool_ = true;
        } else if (literal("false")) {
            v.kind_ = JsonValue::Kind::Bool;
        } else if (literal("null")) {
            v.kind_ = JsonValue::Kind::Null;
        } else {
            v.kind_ = JsonValue::Kind::Number;
            v.number_ = numberBody();
        }
        return v;
    }

    double numberBody() {
        // The JSON grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        const std::size_t start = pos_;
        auto digits = [&] {
            const std::size_t from = pos_;
            while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
            return pos_ > from;
        };
        if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
        if (pos_ < s_.size() && s_[pos_] == '0')
            ++pos_;  // no leading zeros: "01" is 0 then junk
        else if (!digits())
            fail("expected a value");
        if (pos_ < s_.size() && s_[pos_] == '.') {
            ++pos_;
            if (!digits()) fail("expected digits after '.'");
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (!digits()) fail("expected an exponent");
        }
        // from_chars ignores the C locale (a GUI may have set a decimal comma).
        double d = 0.0;
        const auto r = std::from_chars(s_.data() + start, s_.data() + pos_, d);
        if (r.ec != std::errc() || !std::isfinite(d)) fail("number out of range");
        return d;
    }

    std::string stringBody() {
        ++pos_;  // opening quote
        std::string out;
        while (true) {
            if (pos_ >= s_.size()) fail("unterminated string");
            const char c = s_[pos_++];
            if (c == '"') return out;
            if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) fail("unterminated string");
            const char e = s_[pos_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u':
                    out += utf8(hex4());
                    break;
                default:
                    fail("bad escape in a string");
            }
        }
    }

    unsigned hex4() {
        if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= static_cast<unsigned>(h - 'A' + 10);
            else
                fail("bad \\u escape");
        }
        return v;
    }

    // Basic-plane code points only (surrogate pairs stay as two 3-byte sequences):
    // settings keys and class names here are ASCII, so nothing relies on them.
    static std::string utf8(unsigned cp) {
        std::string out;
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return out;
    }

    const std::string& s_;
    const std::string& origin_;
    std::size_t pos_ = 0;
};

JsonValue JsonValue::parse(const std::string& text, const std::string& origin) {
    return JsonParser(text, origin).document();
}

namespace {
[[noreturn]] void wrongKind(const std::string& where, const char* want, JsonValue::Kind got) {
    throw Error(where + ": expected " + want + ", got " + kindName(got));
}
}  // namespace

double JsonValue::number(const std::string& where) const {
    if (kind_ != Kind::Number) wrongKind(where, "a number", kind_);
    return number_;
}

int JsonValue::integer(const std::string& where) const {
    const double d = number(where);
    if (d != std::floor(d) || d < std::numeric_limits<int>::min() || d > std::numeric_limits<int>::max())
        throw Error(where + ": expected a whole number, got " + std::to_string(d));
    return static_cast<int>(d);
}

bool JsonValue::boolean(const std::string& where) const {
    if (kind_ != Kind::Bool) wrongKind(where, "a boolean", kind_);
    return bool_;
}

const std::string& JsonValue::string(const std::string& where) const {
    if (kind_ != Kind::String) wrongKind(where, "a string", kind_);
    return string_;
}

const std::vector<JsonValue>& JsonValue::array(const std::string& where) const {
    if (kind_ != Kind::Array) wrongKind(where, "an array", kind_);
    return items_;
}

const JsonValue* JsonValue::find(const std::string& key) const {
    if (kind_ != Kind::Object) return nullptr;
    const auto it = members_.find(key);
    return it == members_.end() ? nullptr : &it->second;
}

}  // namespace tm2::runtime
