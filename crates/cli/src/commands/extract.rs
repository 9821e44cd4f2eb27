//! `sitrep extract`: inputs to document JSON on stdout, no store (DESIGN.md §8).

use super::Status;
use crate::cli::{DocFormat, ExtractArgs};
use crate::output::{self, Style};
use anyhow::Context;
use sitrep_core::{DateBasis, Document, PartialDate, Published};
use sitrep_ingest::Item;
use std::io::Write;

pub fn run(args: ExtractArgs) -> anyhow::Result<Status> {
    let published = args
        .published
        .as_deref()
        .map(PartialDate::parse)
        .transpose()
        .context("--published")?
        .map(|d| Published::new(d, DateBasis::User));
    let mut resources = super::load_resources(&args.dictionaries)?;
    let mut items: Box<dyn Iterator<Item = Item>> =
        Box::new(super::read_args(&args.inputs, &args.limits));
    if args.learn_outlet_homes {
        let batch: Vec<Item> = items.collect();
        resources = learn_outlet_homes(&batch, published.as_ref(), resources);
        items = Box::new(batch.into_iter());
    }
    let documents = items.map(|item| to_document(item, published.clone(), &resources));

    let mut out = output::stdout();
    let mut failed = false;
    match args.format {
        DocFormat::Jsonl => {
            for doc in documents {
                let line = match doc {
                    Ok(doc) => serde_json::to_string(&doc)?,
                    Err(failure) => {
                        failed = true;
                        eprintln!("sitrep: {}: {}", failure.origin, failure.reason);
                        serde_json::to_string(&failure)?
                    }
                };
                writeln!(out, "{line}")?;
            }
        }
        DocFormat::Json => {
            let mut docs = Vec::new();
            for doc in documents {
                match doc {
                    Ok(doc) => docs.push(doc),
                    Err(f) => {
                        failed = true;
                        eprintln!("sitrep: {}: {}", f.origin, f.reason);
                    }
                }
            }
            match docs.as_slice() {
                [] => {}
                [one] => serde_json::to_writer_pretty(&mut out, one)?,
                many => serde_json::to_writer_pretty(&mut out, many)?,
            }
            if !docs.is_empty() {
                writeln!(out)?;
            }
        }
        DocFormat::Pretty => {
            let style = Style::for_stdout();
            for doc in documents {
                match doc {
                    Ok(doc) => output::write_pretty(&mut out, &doc, style)?,
                    Err(f) => {
                        failed = true;
                        eprintln!("sitrep: {}: {}", f.origin, f.reason);
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(if failed {
        Status::SomeInputsFailed
    } else {
        Status::Ok
    })
}

/// A first pass over the batch, to learn where each outlet reports from.
fn learn_outlet_homes(
    batch: &[Item],
    published: Option<&Published>,
    resources: sitrep_annotate::Resources,
) -> sitrep_annotate::Resources {
    let Some(gazetteer) = resources.gazetteer.as_ref() else {
        eprintln!("sitrep: note: --learn-outlet-homes needs the gazetteer; not learned");
        return resources;
    };
    let documents: Vec<Document> = batch
        .iter()
        .filter_map(|item| item.result.as_ref().ok())
        .map(|reading| {
            let mut article = reading.article.clone();
            if let Some(p) = published {
                article.published = Some(p.clone());
            }
            sitrep_annotate::annotate(article, &resources)
        })
        .collect();
    let homes = resources.outlet_homes.learn(&documents, gazetteer);
    eprintln!("sitrep: learned the home of {} outlets", homes.len());
    resources.with_outlet_homes(homes)
}

/// The output line for an input that yielded no article (DESIGN.md §8).
#[derive(serde::Serialize)]
struct Failure {
    source_id: Option<String>,
    origin: String,
    #[serde(rename = "error")]
    reason: String,
}

fn to_document(
    item: Item,
    published: Option<Published>,
    resources: &sitrep_annotate::Resources,
) -> Result<Document, Failure> {
    match item.result {
        Ok(reading) => {
            let mut article = reading.article;
            if let Some(p) = published {
                article.published = Some(p);
            }
            let mut doc = sitrep_annotate::annotate(article, resources);
            doc.warnings = reading.warnings;
            Ok(doc)
        }
        Err(e) => Err(Failure {
            source_id: item.source_id,
            origin: item.origin,
            reason: e.to_string(),
        }),
    }
}
