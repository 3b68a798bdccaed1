package wardfile

import (
	"sync"

	"github.com/hoctap/hoctap/config"
)

// lexicon is what a configuration lets files say: its category lists and its
// headers. Building it folds every name and alias, which costs more than
// reading a small file; it is built once per configuration (a configuration
// is not changed once files are read with it) and kept for the last few.
type lexicon struct {
	cats catLists
	voc  *vocabulary
}

var lexicons struct {
	sync.Mutex
	recent []lexiconEntry // newest last
}

type lexiconEntry struct {
	cfg *config.Config
	lex *lexicon
}

const lexiconsKept = 8

func lexiconOf(cfg *config.Config, datasets []config.Dataset) *lexicon {
	lexicons.Lock()
	defer lexicons.Unlock()
	for _, e := range lexicons.recent {
		if e.cfg == cfg {
			return e.lex
		}
	}
	lex := &lexicon{cats: newCatLists(cfg), voc: newVocabulary(cfg, datasets)}
	lexicons.recent = append(lexicons.recent, lexiconEntry{cfg, lex})
	if len(lexicons.recent) > lexiconsKept {
		lexicons.recent = lexicons.recent[1:]
	}
	return lex
}
