/* SPDX-License-Identifier: GPL-2.0 */
#ifndef BENCH_SHIM_MODULE_H
#define BENCH_SHIM_MODULE_H
#define EXPORT_SYMBOL_GPL(sym)
#define MODULE_DESCRIPTION(text)
#define MODULE_LICENSE(text)
#endif
