# Warnings on for the project's own targets (not for third-party headers).
function(tm2_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
endfunction()
