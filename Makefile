# vigil -- one Makefile (STYLE.md 31).
#
#   make              release build: build/vigil
#   make test         the whole suite: unit + e2e + schema + fuzz replay,
#                     built with AddressSanitizer + UndefinedBehaviorSanitizer
#   make fuzz         libFuzzer targets (clang) in build/fuzz/
#   make check-src    banned functions and stage layering
#   make docs         regenerate docs/finding-types.md from the detector table
#   make bench        bench/run (generates a corpus, prints throughput)

CC      ?= gcc
CXX     ?= g++
PKGS    := simdjson libdeflate zlib sqlite3 libcrypto libxml-2.0 libmaxminddb libpsl yaml-0.1
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXXFLAGS_BASE := -std=c++17 -Wall -Wextra -Werror -Wno-unused-parameter \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lsimdjson -ldeflate -lz -lsqlite3 -lcrypto -lxml2 -lmaxminddb -lpsl -lyaml) -lstdc++ -lm

OPT       ?= -O2 -g
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DVG_ALLOC_DEBUG

C_SRCS   := $(shell find src -name '*.c' | sort)
CXX_SRCS := $(shell find src -name '*.cpp' | sort)
LIB_C    := $(filter-out src/main.c src/cmd_%.c,$(C_SRCS))
CMD_C    := src/main.c $(filter src/cmd_%.c,$(C_SRCS))

# $(call objs,DIR,C_SOURCES[,CXX_SOURCES])
define objs
$(patsubst src/%.c,$(1)/obj/%.o,$(2)) $(patsubst src/%.cpp,$(1)/obj/%.o,$(3))
endef

REL := build/rel
ASAN := build/asan

.PHONY: all test unit e2e fuzz fuzz-replay check-src docs bench clean install
all: build/vigil

build/vigil: $(REL)/vigil
	@cp $< $@

# ---- release -------------------------------------------------------------
$(REL)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo CC $<; $(CC) $(CFLAGS_BASE) $(OPT) -MMD -MP -c $< -o $@
$(REL)/obj/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	@echo CXX $<; $(CXX) $(CXXFLAGS_BASE) $(OPT) -MMD -MP -c $< -o $@
$(REL)/libvigil.a: $(call objs,$(REL),$(LIB_C),$(CXX_SRCS))
	@rm -f $@; ar rcs $@ $^
$(REL)/vigil: $(call objs,$(REL),$(CMD_C)) $(REL)/libvigil.a
	@echo LINK $@; $(CC) $(OPT) -o $@ $^ $(LIBS)

# ---- sanitizer build used by the tests -----------------------------------
$(ASAN)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo CC-SAN $<; $(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -MMD -MP -c $< -o $@
$(ASAN)/obj/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	@echo CXX-SAN $<; $(CXX) $(CXXFLAGS_BASE) $(SAN_FLAGS) -MMD -MP -c $< -o $@
$(ASAN)/libvigil.a: $(call objs,$(ASAN),$(LIB_C),$(CXX_SRCS))
	@rm -f $@; ar rcs $@ $^
$(ASAN)/vigil: $(call objs,$(ASAN),$(CMD_C)) $(ASAN)/libvigil.a
	@echo LINK $@; $(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRCS))
UNIT_BINS := $(patsubst tests/unit/%.c,$(ASAN)/unit/%,$(UNIT_SRCS))
$(ASAN)/unit/%: tests/unit/%.c $(ASAN)/libvigil.a
	@mkdir -p $(dir $@)
	@echo LINK $@; $(CC) $(CFLAGS_BASE) $(SAN_FLAGS) -Isrc -o $@ $< $(ASAN)/libvigil.a $(LIBS) -lcriterion

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t --jobs 2 || fail=1; done; exit $$fail

e2e: $(ASAN)/vigil
	VIGIL=$(ASAN)/vigil tests/e2e/run

test: $(ASAN)/vigil $(UNIT_BINS) $(FUZZ_BINS)
	VIGIL=$(ASAN)/vigil tests/run-all

# ---- fuzzing (clang + libFuzzer) -----------------------------------------
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo CC-FUZZ $<; clang $(CFLAGS_BASE) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -MMD -MP -c $< -o $@
build/fuzz/obj/%.o: src/%.cpp
	@mkdir -p $(dir $@)
	@echo CXX-FUZZ $<; clang++ $(CXXFLAGS_BASE) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -MMD -MP -c $< -o $@
build/fuzz/libvigil.a: $(call objs,build/fuzz,$(LIB_C),$(CXX_SRCS))
	@rm -f $@; ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libvigil.a
	@echo LINK $@; clang $(CFLAGS_BASE) $(FUZZ_FLAGS) -fsanitize-link-c++-runtime -Isrc -o $@ $< build/fuzz/libvigil.a $(LIBS)
fuzz: $(FUZZ_BINS)

# ---- source checks and generated docs -------------------------------------
check-src:
	scripts/checksrc

docs: build/vigil
	build/vigil types --markdown > docs/finding-types.md

bench: build/vigil
	bench/run

install: build/vigil
	install -D -m 755 build/vigil $(DESTDIR)/usr/local/bin/vigil
	install -D -m 644 docs/vigil.1 $(DESTDIR)/usr/local/share/man/man1/vigil.1

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
