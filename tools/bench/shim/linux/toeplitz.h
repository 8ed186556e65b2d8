/* SPDX-License-Identifier: GPL-2.0 */
/* The real header of the patched tree, named by the build (-DTOEPLITZ_H) */
#include TOEPLITZ_H
