# Splits the flash (read-only) part of a GNU ld map file by origin: the model
# array (model_data.o), the runtime + example objects, and each library archive
# (libc.a, libstdc++.a, ...). Prints "ORIGIN<TAB>BYTES" lines. Used by
# scripts/cortex-m.sh:  awk -f tests/cortex_m/map_split.awk firmware.map
# Merged string sections are listed with their size before merging, so bytes
# are counted as the union of address ranges (each byte once). mawk-compatible.
function hex(s,   i, n) {
  n = 0; s = tolower(s); sub(/^0x/, "", s)
  for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
  return n
}
function add(addr, size, file,   a, e, key) {
  a = hex(addr); e = a + hex(size)
  if (a < high) a = high
  if (e <= a) return
  high = e
  if (file ~ /model_data\.o$/) key = "model array"
  else if (file ~ /\.a\(/) { key = file; sub(/\(.*/, "", key); sub(/.*\//, "", key) }
  else if (file == "") key = "alignment"
  else key = "runtime + example"
  bytes[key] += e - a
}
/^Linker script and memory map/ { map = 1; next }
!map { next }
/^[^ ]/ { flash = ($1 ~ /^\.(text|ARM\.extab|ARM\.exidx|preinit_array|init_array|fini_array)$/); high = 0; pending = 0; next }
!flash { next }
/^ \*fill\*/ { add($2, $3, ""); next }
/^ [.A-Za-z_]/ {
  if (NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/) { add($2, $3, $4); pending = 0 } else pending = (NF == 1)
  next
}
pending && /^ +0x/ { if (NF >= 3 && $2 ~ /^0x/) add($1, $2, $3); pending = 0; next }
END { for (k in bytes) printf "%s\t%d\n", k, bytes[k] }
