using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Berth.Interop
{
    /// <summary>
    /// The JSON the C API speaks, read into Dictionary/List/string/long/double/bool/null and
    /// written from the same. Ours rather than System.Text.Json because System.Text.Json is not
    /// part of Windows PowerShell 5.1: shipping it (and its five dependencies) in the module
    /// folder collides with other modules that load another version. The documents are small
    /// (docs/api.md); the library has already bounded them.
    /// </summary>
    public static class Json
    {
        private const int MaxDepth = 64;

        public static object Parse(string text)
        {
            if (text == null) return null;
            var r = new Reader(text);
            r.SkipSpace();
            object v = r.Value(0);
            r.SkipSpace();
            if (r.Pos != text.Length) throw r.Fail("unexpected text after the document");
            return v;
        }

        private sealed class Reader
        {
            private readonly string _s;
            public int Pos;
            public Reader(string s) { _s = s; }

            public FormatException Fail(string why) =>
                new FormatException("libberth returned JSON that could not be read (" + why + " at offset " + Pos + ").");

            public void SkipSpace() { while (Pos < _s.Length && char.IsWhiteSpace(_s[Pos])) Pos++; }

            private char Peek() => Pos < _s.Length ? _s[Pos] : '\0';

            public object Value(int depth)
            {
                if (depth > MaxDepth) throw Fail("nested too deeply");
                SkipSpace();
                char c = Peek();
                switch (c)
                {
                    case '{': return Obj(depth);
                    case '[': return Arr(depth);
                    case '"': return Str();
                    case 't': Word("true"); return true;
                    case 'f': Word("false"); return false;
                    case 'n': Word("null"); return null;
                    default:
                        if (c == '-' || (c >= '0' && c <= '9')) return Num();
                        throw Fail("unexpected character");
                }
            }

            private void Word(string w)
            {
                if (string.CompareOrdinal(_s, Pos, w, 0, w.Length) != 0) throw Fail("bad literal");
                Pos += w.Length;
            }

            private Dictionary<string, object> Obj(int depth)
            {
                var d = new Dictionary<string, object>(StringComparer.Ordinal);
                Pos++;
                SkipSpace();
                if (Peek() == '}') { Pos++; return d; }
                while (true)
                {
                    SkipSpace();
                    if (Peek() != '"') throw Fail("expected a member name");
                    string k = Str();
                    SkipSpace();
                    if (Peek() != ':') throw Fail("expected ':'");
                    Pos++;
                    d[k] = Value(depth + 1);
                    SkipSpace();
                    char c = Peek();
                    Pos++;
                    if (c == '}') return d;
                    if (c != ',') throw Fail("expected ',' or '}'");
                }
            }

            private List<object> Arr(int depth)
            {
                var l = new List<object>();
                Pos++;
                SkipSpace();
                if (Peek() == ']') { Pos++; return l; }
                while (true)
                {
                    l.Add(Value(depth + 1));
                    SkipSpace();
                    char c = Peek();
                    Pos++;
                    if (c == ']') return l;
                    if (c != ',') throw Fail("expected ',' or ']'");
                }
            }

            private string Str()
            {
                Pos++;
                var sb = new StringBuilder();
                while (true)
                {
                    if (Pos >= _s.Length) throw Fail("unterminated string");
                    char c = _s[Pos++];
                    if (c == '"') return sb.ToString();
                    if (c != '\\') { sb.Append(c); continue; }
                    if (Pos >= _s.Length) throw Fail("unterminated escape");
                    char e = _s[Pos++];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (Pos + 4 > _s.Length) throw Fail("short \\u escape");
                            sb.Append((char)int.Parse(_s.Substring(Pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            Pos += 4;
                            break;
                        default: throw Fail("bad escape");
                    }
                }
            }

            private object Num()
            {
                int start = Pos;
                if (Peek() == '-') Pos++;
                while (Pos < _s.Length && "0123456789.eE+-".IndexOf(_s[Pos]) >= 0) Pos++;
                string t = _s.Substring(start, Pos - start);
                if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return d;
                throw Fail("bad number");
            }
        }

        // ---- writing ------------------------------------------------------------------

        public static string Write(object value)
        {
            var sb = new StringBuilder();
            WriteValue(sb, value);
            return sb.ToString();
        }

        private static void WriteValue(StringBuilder sb, object v)
        {
            switch (v)
            {
                case null: sb.Append("null"); break;
                case string s: WriteString(sb, s); break;
                case bool b: sb.Append(b ? "true" : "false"); break;
                case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
                case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
                case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
                case IDictionary dict:
                    sb.Append('{');
                    bool first = true;
                    foreach (DictionaryEntry kv in dict)
                    {
                        if (!first) sb.Append(',');
                        first = false;
                        WriteString(sb, Convert.ToString(kv.Key, CultureInfo.InvariantCulture));
                        sb.Append(':');
                        WriteValue(sb, kv.Value);
                    }
                    sb.Append('}');
                    break;
                case IEnumerable list:
                    sb.Append('[');
                    bool firstItem = true;
                    foreach (object item in list)
                    {
                        if (!firstItem) sb.Append(',');
                        firstItem = false;
                        WriteValue(sb, item);
                    }
                    sb.Append(']');
                    break;
                default: WriteString(sb, Convert.ToString(v, CultureInfo.InvariantCulture)); break;
            }
        }

        private static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }

        // ---- reading helpers for the model --------------------------------------------

        /// <summary>The first of the given members that is present and not null.</summary>
        public static object Get(IDictionary<string, object> o, params string[] names)
        {
            if (o == null) return null;
            foreach (string n in names)
            {
                if (n.IndexOf('.') > 0)
                {
                    string[] parts = n.Split('.');
                    object cur = o;
                    foreach (string p in parts)
                    {
                        if (cur is IDictionary<string, object> d && d.TryGetValue(p, out object next)) cur = next;
                        else { cur = null; break; }
                    }
                    if (cur != null) return cur;
                }
                else if (o.TryGetValue(n, out object v) && v != null) return v;
            }
            return null;
        }

        public static string Str(IDictionary<string, object> o, params string[] names)
        {
            object v = Get(o, names);
            return v == null ? null : Convert.ToString(v, CultureInfo.InvariantCulture);
        }

        public static long? Long(IDictionary<string, object> o, params string[] names)
        {
            object v = Get(o, names);
            if (v is long l) return l;
            if (v is double d) return (long)d;
            if (v is string s && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long p)) return p;
            return null;
        }

        public static bool? Bool(IDictionary<string, object> o, params string[] names)
        {
            object v = Get(o, names);
            return v is bool b ? b : (bool?)null;
        }

        public static DateTime? Time(IDictionary<string, object> o, params string[] names)
        {
            string s = Str(o, names);
            if (string.IsNullOrEmpty(s)) return null;
            // RFC 3339 with up to nanoseconds; DateTime keeps 100 ns ticks.
            int dot = s.IndexOf('.');
            if (dot > 0)
            {
                int end = dot + 1;
                while (end < s.Length && char.IsDigit(s[end])) end++;
                string frac = s.Substring(dot + 1, end - dot - 1);
                if (frac.Length > 7) s = s.Substring(0, dot + 8) + s.Substring(end);
            }
            return DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime t)
                ? t : (DateTime?)null;
        }

        public static string[] Strings(IDictionary<string, object> o, params string[] names)
        {
            object v = Get(o, names);
            if (v is List<object> l)
            {
                var r = new List<string>();
                foreach (object x in l) if (x != null) r.Add(Convert.ToString(x, CultureInfo.InvariantCulture));
                return r.ToArray();
            }
            if (v is string s) return new[] { s };
            return new string[0];
        }

        public static IDictionary<string, object> Obj(object v) => v as IDictionary<string, object>;

        public static List<object> List(object v) => v as List<object> ?? new List<object>();
    }
}
