// Package reports renders the monthly report to the city committee: it reads a
// month's numbers from the published snapshot (Load), composes the document in
// Vietnamese or English with its charts (Compose), and writes it as HTML, PDF,
// XLSX and PNG files with a manifest, as a new version when the numbers changed
// (Write), and an index of every month and version.
package reports
