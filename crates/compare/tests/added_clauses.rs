//! A reworded sentence that appends a clause is aligned with its source, and only the appended
//! clause is reported as added (self-written texts, English and Spanish).

use stemma_compare::{Comparer, Document, Side, Span};

fn check(a: &str, b: &str, reworded: &str, extra: &str, lead_in: &str, source_sentence: &str) {
    let (pa, pb) = (stemma_text::prepare(a), stemma_text::prepare(b));
    let c = Comparer::default().compare(&Document::new(a, &pa), &Document::new(b, &pb));
    assert!(c.relation.is_derivation(), "{:?}", c.relation);
    assert_ne!(c.direction.source, Some(Side::B), "{:?}", c.direction);
    let at = |text: &str, needle: &str| {
        let s = text.find(needle).expect("needle in text");
        Span::new(s, s + needle.len())
    };
    let overlaps = |x: Span, y: Span| x.start < y.end && y.start < x.end;
    // The reworded sentence is aligned with its source sentence.
    let (src, cpy) = (at(a, source_sentence), at(b, reworded));
    assert!(
        c.alignments
            .iter()
            .any(|al| overlaps(al.a, src) && overlaps(al.b, cpy)),
        "{:?}",
        c.alignments
    );
    assert!(
        !c.dropped.iter().any(|d| overlaps(*d, src)),
        "{:?}",
        c.dropped
    );
    // Only the appended clause is added: not the whole sentence, not its reworded lead-in.
    let extra = at(b, extra);
    assert!(
        c.added
            .iter()
            .any(|s| s.start <= extra.start + 4 && extra.end <= s.end),
        "{:?}",
        c.added
    );
    let lead_in = at(b, lead_in);
    assert!(
        !c.added.iter().any(|s| overlaps(*s, lead_in)),
        "{:?}",
        c.added
    );
    // Nothing else is added: the copy keeps every other sentence.
    let sentence = pb
        .sentences
        .iter()
        .find(|s| s.span.start <= cpy.start && cpy.start < s.span.end)
        .expect("sentence")
        .span;
    let added: usize = c.added.iter().map(|s| s.len()).sum();
    assert!(added * 2 < sentence.len(), "{:?}", c.added);
}

#[test]
fn only_the_appended_clause_is_added_english() {
    let a = "The regional airline Nordwing announced new routes to Oslo and Bergen on Monday. \
             Its chief executive has recently faced questions about the delays that angered many \
             travellers during the last winter. The first flights are planned for March. \
             Tickets will be sold online and at the airport desks. \
             Nordwing carried about two million passengers last year. \
             Follow our travel desk for more updates.";
    let b = "On Monday the regional carrier Nordwing announced new routes to Oslo and Bergen. \
             Criticised by angry unions for several months over wages, the chief executive was \
             questioned about delays, and he also promised to renovate the old terminals in \
             Tromsø before the next summer season begins. \
             The first flights are planned for March. \
             Tickets will be sold online and at the airport desks. \
             Nordwing carried about two million passengers last year.";
    check(
        a,
        b,
        "Criticised by angry unions",
        "and he also promised to renovate the old terminals in Tromsø before the next summer \
         season begins",
        "Criticised by angry unions for several months over wages",
        "Its chief executive has recently faced questions",
    );
}

#[test]
fn only_the_appended_clause_is_added_spanish() {
    let a = "La aerolínea regional Nordwing anunció el lunes nuevas rutas a Oslo y Bergen. \
             Su consejero delegado ha recibido recientemente preguntas sobre los retrasos que \
             enfadaron a muchos viajeros durante el invierno pasado. \
             Los primeros vuelos están previstos para marzo. \
             Los billetes se venderán en internet y en los mostradores del aeropuerto. \
             Nordwing transportó unos dos millones de pasajeros el año pasado. \
             Siga a nuestra sección de viajes para más noticias.";
    let b = "El lunes la compañía regional Nordwing anunció nuevas rutas a Oslo y Bergen. \
             Criticado por sindicatos furiosos durante largos meses por los salarios, el \
             consejero delegado respondió preguntas sobre los retrasos, y prometió además \
             renovar las viejas terminales de Tromsø antes de que empiece la próxima temporada \
             de verano. \
             Los primeros vuelos están previstos para marzo. \
             Los billetes se venderán en internet y en los mostradores del aeropuerto. \
             Nordwing transportó unos dos millones de pasajeros el año pasado.";
    check(
        a,
        b,
        "Criticado por sindicatos",
        "y prometió además renovar las viejas terminales de Tromsø antes de que empiece la \
         próxima temporada de verano",
        "Criticado por sindicatos furiosos durante largos meses por los salarios",
        "Su consejero delegado ha recibido",
    );
}
